import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  type CardLinkRequestedV1,
  type CardLinkVerifiedV1,
  type IdentityVerifiedV1,
  type OwnershipRegisteredV1,
  sameName,
  type VerificationResult,
  type VerifiedField,
} from '@lgsp/contracts';
import { type EventContext, OnEvent } from '@lgsp/messaging';
import type { EntityManager } from 'typeorm';
import { Citizen } from './citizen.entity';

/** Compares a claimed identity with the register: name (case and spacing aside) and date of birth. */
export async function verify(
  m: EntityManager,
  claim: { personalId: string; fullName: string; dateOfBirth: string },
): Promise<{ result: VerificationResult; mismatchedFields?: VerifiedField[] }> {
  const citizen = await m.findOneBy(Citizen, { personalId: claim.personalId });
  if (!citizen) return { result: 'NOT_FOUND' };
  const mismatched: VerifiedField[] = [];
  if (!sameName(citizen.fullName, claim.fullName)) mismatched.push('fullName');
  if (citizen.dateOfBirth !== claim.dateOfBirth) mismatched.push('dateOfBirth');
  return mismatched.length
    ? { result: 'MISMATCH', mismatchedFields: mismatched }
    : { result: 'MATCH' };
}

/** Land-ownership flow and card–ID link: identities checked against the population register. */
@Controller()
export class VerifyIdentityConsumer {
  @OnEvent('land.ownership-registered.v1')
  async owners(@Payload() reg: OwnershipRegisteredV1, @Ctx() ctx: EventContext): Promise<void> {
    for (const owner of reg.owners) {
      const outcome: IdentityVerifiedV1 = {
        ownerId: owner.ownerId,
        registrationId: reg.registrationId,
        personalId: owner.personalId,
        ...(await verify(ctx.manager, owner)),
      };
      await ctx.publish('population.identity-verified.v1', outcome);
    }
  }

  @OnEvent('insurance.card-link-requested.v1')
  async cardLink(@Payload() req: CardLinkRequestedV1, @Ctx() ctx: EventContext): Promise<void> {
    const outcome: CardLinkVerifiedV1 = {
      cardNumber: req.cardNumber,
      personalId: req.personalId,
      batchId: req.batchId,
      ...(await verify(ctx.manager, req)),
    };
    await ctx.publish('population.card-link-verified.v1', outcome);
  }
}
