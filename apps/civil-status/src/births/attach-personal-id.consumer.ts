import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { CitizenRegisteredV1 } from '@lgsp/contracts';
import { type EventContext, OnEvent, PermanentError } from '@lgsp/messaging';
import { Birth } from './birth.entity';

/** The last step of the birth chain on our side: the newborn's personal ID joins the birth record. */
@Controller()
export class AttachPersonalIdConsumer {
  @OnEvent('population.citizen-registered.v1')
  async attach(@Payload() event: CitizenRegisteredV1, @Ctx() ctx: EventContext): Promise<void> {
    const result = await ctx.manager.update(
      Birth,
      { id: event.birthRegistrationId },
      { childPersonalId: event.personalId },
    );
    if (!result.affected) {
      throw new PermanentError(
        'CIVIL_STATUS.BIRTH_NOT_FOUND',
        `no birth registration ${event.birthRegistrationId} to attach the personal ID to`,
      );
    }
  }
}
