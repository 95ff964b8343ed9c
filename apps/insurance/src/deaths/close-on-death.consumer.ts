import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  type CardTerminatedV1,
  type CitizenDeceasedV1,
  type FuneralAllowanceGrantedV1,
  today,
} from '@lgsp/contracts';
import { type BatchItem, OnEvent, PermanentError, type SetContext } from '@lgsp/messaging';
import { returning } from '@lgsp/persistence';
import { In } from 'typeorm';
import { FuneralAllowance, Participant } from '../participants/insurance.entities';
import {
  allowanceBaseOn,
  FUNERAL_ALLOWANCE_MULTIPLIER,
  funeralEntitlement,
} from '../participants/insurance-rules';
import { ReferenceLevel } from '../reference-levels/reference-level.entities';

type Death = BatchItem<CitizenDeceasedV1>;
type Grant = { death: Death; grant: FuneralAllowanceGrantedV1; row: FuneralAllowance };

/**
 * Death chain, step 3: active cards end on the date of death, and the funeral allowance
 * is granted where the deceased was entitled, at 10 × the amount in force in the month of death:
 * the base salary before 2025-07-01, the reference level from then on (`reference_levels`). A
 * batch reads participants, cards and that table once; a death that cannot be settled (no
 * row in force) is refused before anything of it is written.
 */
@Controller()
export class CloseOnDeathConsumer {
  @OnEvent('population.citizen-deceased.v1', { batch: true })
  async close(@Payload() deaths: Death[], @Ctx() ctx: SetContext): Promise<void> {
    const m = ctx.manager;
    const ids = deaths.map((d) => d.payload.personalId);
    const participants = new Map(
      (await m.findBy(Participant, { personalId: In(ids) })).map((p) => [p.personalId, p]),
    );
    const insured = deaths.filter((d) => participants.has(d.payload.personalId));
    if (insured.length === 0) return; // never insured: nothing to close
    // A plain read holds the table (ACCESS SHARE) to commit: see ReferenceLevelsController.add.
    const table = await m.find(ReferenceLevel);
    const grants: Grant[] = [];
    const settled = insured.filter((d) => {
      const death = d.payload;
      const entitlement = funeralEntitlement(participants.get(death.personalId)!);
      if (!entitlement) return true;
      const base = allowanceBaseOn(table, death.dateOfDeath);
      if (!base) {
        ctx.refuse(
          d,
          new PermanentError(
            'INSURANCE.NO_BASE_SALARY',
            `no base salary or reference level in force in the month of ${death.dateOfDeath}`,
          ),
        );
        return false;
      }
      const grant: FuneralAllowanceGrantedV1 = {
        personalId: death.personalId,
        dateOfDeath: death.dateOfDeath,
        entitlement,
        baseSalaryVnd: base.amountVnd,
        multiplier: FUNERAL_ALLOWANCE_MULTIPLIER,
        amountVnd: FUNERAL_ALLOWANCE_MULTIPLIER * base.amountVnd,
        grantedOn: today(),
      };
      const row = { ...grant, baseKind: base.kind, baseEffectiveFrom: base.effectiveFrom };
      grants.push({ death: d, grant, row });
      return true;
    });
    if (settled.length === 0) return;
    const deathOf = JSON.stringify(
      [...new Map(settled.map((d) => [d.payload.personalId, d])).values()].map((d) => ({
        personal_id: d.payload.personalId,
        date_of_death: d.payload.dateOfDeath,
      })),
    );
    await m.query(
      `UPDATE participants AS p SET date_of_death = v.date_of_death
         FROM jsonb_to_recordset($1::jsonb) AS v(personal_id char(12), date_of_death date)
        WHERE p.personal_id = v.personal_id`,
      [deathOf],
    );
    const ended = await returning<{
      card_number: string;
      personal_id: string;
      terminated_on: string;
    }>(
      m,
      `UPDATE cards AS c SET status = 'TERMINATED', terminated_on = v.date_of_death,
                valid_to = LEAST(c.valid_to, v.date_of_death)
           FROM jsonb_to_recordset($1::jsonb) AS v(personal_id char(12), date_of_death date)
          WHERE c.personal_id = v.personal_id AND c.status = 'ACTIVE'
         RETURNING c.card_number, c.personal_id, to_char(c.terminated_on, 'YYYY-MM-DD') AS terminated_on`,
      [deathOf],
    );
    // A card ends under the first death of its holder, as it would one by one.
    const byCitizen = new Map(settled.map((d) => [d.payload.personalId, d] as const).reverse());
    for (const card of ended) {
      const terminated: CardTerminatedV1 = {
        cardNumber: card.card_number,
        personalId: card.personal_id,
        terminatedOn: card.terminated_on,
        reason: 'DECEASED',
      };
      ctx.publish(byCitizen.get(card.personal_id)!, 'insurance.card-terminated.v1', terminated);
    }
    for (const { death, grant } of grants)
      ctx.publish(death, 'insurance.funeral-allowance-granted.v1', grant);
    if (grants.length)
      await m.insert(
        FuneralAllowance,
        grants.map((g) => g.row),
      );
  }
}
