import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  type CardIssuedV1,
  type CitizenRegisteredV1,
  formatBhytCardNumber,
  today,
} from '@lgsp/contracts';
import { type EventContext, OnEvent } from '@lgsp/messaging';
import { INSURANCE_CONFIG, type InsuranceConfig } from '../insurance.config';
import { Card, Participant } from '../participants/insurance.entities';
import { childCardValidity } from '../participants/insurance-rules';
import { allocateSiNumber } from '../participants/si-number.allocator';

/** Birth chain, step 3: a newborn gets a free health-insurance card (group TE) until the day before six. */
@Controller()
export class IssueChildCardConsumer {
  constructor(@Inject(INSURANCE_CONFIG) private readonly config: InsuranceConfig) {}

  @OnEvent('population.citizen-registered.v1')
  async issue(@Payload() citizen: CitizenRegisteredV1, @Ctx() ctx: EventContext): Promise<void> {
    const validity = childCardValidity(citizen.dateOfBirth, today());
    if (!validity) return; // six or older at registration: no free child card
    const m = ctx.manager;
    let participant = await m.findOneBy(Participant, { personalId: citizen.personalId });
    if (!participant) {
      participant = m.create(Participant, {
        personalId: citizen.personalId,
        socialInsuranceNumber: await allocateSiNumber(m, this.config.PROVINCE_CODE),
        fullName: citizen.fullName,
        dateOfBirth: citizen.dateOfBirth,
      });
      await m.insert(Participant, participant);
    }
    const card: CardIssuedV1 = {
      cardNumber: formatBhytCardNumber(
        'TE',
        1,
        this.config.PROVINCE_CODE,
        participant.socialInsuranceNumber,
      ),
      personalId: citizen.personalId,
      beneficiaryGroup: 'TE',
      benefitLevel: 1,
      socialInsuranceNumber: participant.socialInsuranceNumber,
      ...validity,
    };
    await m.insert(Card, {
      ...card,
      status: 'ACTIVE',
      linkStatus: 'LINKED',
      linkUpdatedAt: new Date(),
    });
    await ctx.publish('insurance.card-issued.v1', card);
  }
}
