import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { CitizenRegisteredV1 } from '@lgsp/contracts';
import { type BatchItem, OnEvent, PermanentError, type SetContext } from '@lgsp/messaging';
import { returning } from '@lgsp/persistence';

/**
 * The last step of the birth chain on our side: each newborn's personal ID joins its birth
 * record, the whole batch in one UPDATE; a birth the update did not find is refused.
 */
@Controller()
export class AttachPersonalIdConsumer {
  @OnEvent('population.citizen-registered.v1', { batch: true })
  async attach(
    @Payload() events: BatchItem<CitizenRegisteredV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    // One row per birth (an UPDATE takes one source row per target); the last event wins,
    // as it would one by one. Ids compare in PostgreSQL's lower-case spelling.
    const byBirth = new Map(
      events.map((e) => [e.payload.birthRegistrationId.toLowerCase(), e.payload.personalId]),
    );
    const rows = await returning<{ id: string }>(
      ctx.manager,
      `UPDATE births AS b SET child_personal_id = v.personal_id
         FROM unnest($1::uuid[], $2::text[]) AS v(id, personal_id)
        WHERE b.id = v.id
       RETURNING b.id`,
      [[...byBirth.keys()], [...byBirth.values()]],
    );
    const found = new Set(rows.map((r) => r.id));
    for (const e of events) {
      if (!found.has(e.payload.birthRegistrationId.toLowerCase())) {
        ctx.refuse(
          e,
          new PermanentError(
            'CIVIL_STATUS.BIRTH_NOT_FOUND',
            `no birth registration ${e.payload.birthRegistrationId} to attach the personal ID to`,
          ),
        );
      }
    }
  }
}
