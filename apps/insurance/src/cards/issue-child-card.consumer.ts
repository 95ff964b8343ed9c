import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  type CardIssuedV1,
  type CitizenRegisteredV1,
  formatBhytCardNumber,
  today,
} from '@lgsp/contracts';
import { type BatchItem, OnEvent, type SetContext } from '@lgsp/messaging';
import { In } from 'typeorm';
import { INSURANCE_CONFIG, type InsuranceConfig } from '../insurance.config';
import { Card, Participant } from '../participants/insurance.entities';
import { childCardValidity } from '../participants/insurance-rules';
import { reserveSiNumbers } from '../participants/si-number.allocator';

type Citizen = BatchItem<CitizenRegisteredV1>;

/**
 * Birth chain, step 3: each newborn gets a free health-insurance card (group TE) for the
 * period Decree 146/2018 sets. A batch reads the participants it already knows in one
 * query, reserves social-insurance numbers for the others in one block, and inserts the
 * new participants and the cards in one statement each.
 */
@Controller()
export class IssueChildCardConsumer {
  constructor(@Inject(INSURANCE_CONFIG) private readonly config: InsuranceConfig) {}

  @OnEvent('population.citizen-registered.v1', { batch: true })
  async issue(@Payload() citizens: Citizen[], @Ctx() ctx: SetContext): Promise<void> {
    const on = today();
    // Six or older at registration: no free child card (the event is still applied).
    const eligible = citizens.flatMap((c) => {
      const validity = childCardValidity(c.payload.dateOfBirth, on);
      return validity ? [{ c, validity }] : [];
    });
    if (eligible.length === 0) return;
    const m = ctx.manager;
    const ids = eligible.map((e) => e.c.payload.personalId);
    const siOf = new Map(
      (await m.findBy(Participant, { personalId: In(ids) })).map((p) => [
        p.personalId,
        p.socialInsuranceNumber,
      ]),
    );
    const newcomers = [...new Set(ids.filter((id) => !siOf.has(id)))];
    const numbers = await reserveSiNumbers(
      m.connection,
      this.config.PROVINCE_CODE,
      newcomers.length,
    );
    newcomers.forEach((id, i) => siOf.set(id, numbers[i]));
    const firstOf = new Map(eligible.map((e) => [e.c.payload.personalId, e.c] as const).reverse());
    const participants = newcomers.map((id) => {
      const p = firstOf.get(id)!.payload;
      return {
        personalId: id,
        socialInsuranceNumber: siOf.get(id)!,
        fullName: p.fullName,
        dateOfBirth: p.dateOfBirth,
      };
    });
    const linkedAt = new Date();
    const cards = eligible.map(({ c, validity }) => {
      const si = siOf.get(c.payload.personalId)!;
      const card: CardIssuedV1 = {
        cardNumber: formatBhytCardNumber('TE', 1, this.config.PROVINCE_CODE, si),
        personalId: c.payload.personalId,
        beneficiaryGroup: 'TE',
        benefitLevel: 1,
        socialInsuranceNumber: si,
        ...validity,
      };
      ctx.publish(c, 'insurance.card-issued.v1', card);
      return { ...card, status: 'ACTIVE', linkStatus: 'LINKED', linkUpdatedAt: linkedAt };
    });
    if (participants.length) await m.insert(Participant, participants);
    await m.insert(Card, cards);
  }
}
