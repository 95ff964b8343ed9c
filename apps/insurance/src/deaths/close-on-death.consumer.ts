import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  type CardTerminatedV1,
  type CitizenDeceasedV1,
  type FuneralAllowanceGrantedV1,
  today,
} from '@lgsp/contracts';
import { type EventContext, OnEvent, PermanentError } from '@lgsp/messaging';
import {
  BaseSalaryRow,
  Card,
  FuneralAllowance,
  Participant,
} from '../participants/insurance.entities';
import {
  baseSalaryOn,
  FUNERAL_ALLOWANCE_MULTIPLIER,
  funeralEntitlement,
} from '../participants/insurance-rules';

/**
 * Death chain, step 3: active cards end on the date of death, and the funeral allowance
 * is granted where the deceased was entitled, at 10 × the base salary then in force.
 */
@Controller()
export class CloseOnDeathConsumer {
  @OnEvent('population.citizen-deceased.v1')
  async close(@Payload() death: CitizenDeceasedV1, @Ctx() ctx: EventContext): Promise<void> {
    const m = ctx.manager;
    const participant = await m.findOneBy(Participant, { personalId: death.personalId });
    if (!participant) return; // never insured: nothing to close
    await m.update(
      Participant,
      { personalId: death.personalId },
      { dateOfDeath: death.dateOfDeath },
    );

    const cards = await m.findBy(Card, { personalId: death.personalId, status: 'ACTIVE' });
    for (const card of cards) {
      const validTo = card.validTo < death.dateOfDeath ? card.validTo : death.dateOfDeath;
      await m.update(
        Card,
        { cardNumber: card.cardNumber },
        { status: 'TERMINATED', terminatedOn: death.dateOfDeath, validTo },
      );
      const ended: CardTerminatedV1 = {
        cardNumber: card.cardNumber,
        personalId: death.personalId,
        terminatedOn: death.dateOfDeath,
        reason: 'DECEASED',
      };
      await ctx.publish('insurance.card-terminated.v1', ended);
    }

    const entitlement = funeralEntitlement(participant);
    if (!entitlement) return;
    const base = baseSalaryOn(await m.find(BaseSalaryRow), death.dateOfDeath);
    if (!base) {
      throw new PermanentError(
        'INSURANCE.NO_BASE_SALARY',
        `no base salary in force on ${death.dateOfDeath}`,
      );
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
    await m.insert(FuneralAllowance, grant);
    await ctx.publish('insurance.funeral-allowance-granted.v1', grant);
  }
}
