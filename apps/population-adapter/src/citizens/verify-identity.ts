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
import { type BatchItem, OnEvent, type SetContext } from '@lgsp/messaging';
import { type EntityManager, In } from 'typeorm';
import { Citizen } from './citizen.entity';

interface Claim {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
}

type Outcome = { result: VerificationResult; mismatchedFields?: VerifiedField[] };

/** Compares a claimed identity with the register: name (case and spacing aside) and date of birth. */
export function verify(citizen: Citizen | undefined, claim: Claim): Outcome {
  if (!citizen) return { result: 'NOT_FOUND' };
  const mismatched: VerifiedField[] = [];
  if (!sameName(citizen.fullName, claim.fullName)) mismatched.push('fullName');
  if (citizen.dateOfBirth !== claim.dateOfBirth) mismatched.push('dateOfBirth');
  return mismatched.length
    ? { result: 'MISMATCH', mismatchedFields: mismatched }
    : { result: 'MATCH' };
}

/** The register's entries for every claim of a batch, in one query. */
async function lookUp(m: EntityManager, claims: Claim[]): Promise<(c: Claim) => Outcome> {
  const ids = [...new Set(claims.map((c) => c.personalId))];
  const found = new Map(
    (ids.length ? await m.findBy(Citizen, { personalId: In(ids) }) : []).map((c) => [
      c.personalId,
      c,
    ]),
  );
  return (claim) => verify(found.get(claim.personalId), claim);
}

/**
 * Land-ownership flow and card–ID link: identities checked against the population register,
 * a batch of claims with one read of the register.
 */
@Controller()
export class VerifyIdentityConsumer {
  @OnEvent('land.ownership-registered.v1', { batch: true })
  async owners(
    @Payload() regs: BatchItem<OwnershipRegisteredV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const check = await lookUp(
      ctx.manager,
      regs.flatMap((r) => r.payload.owners),
    );
    for (const r of regs) {
      for (const owner of r.payload.owners) {
        const outcome: IdentityVerifiedV1 = {
          ownerId: owner.ownerId,
          registrationId: r.payload.registrationId,
          personalId: owner.personalId,
          ...check(owner),
        };
        ctx.publish(r, 'population.identity-verified.v1', outcome);
      }
    }
  }

  @OnEvent('insurance.card-link-requested.v1', { batch: true })
  async cardLink(
    @Payload() reqs: BatchItem<CardLinkRequestedV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const check = await lookUp(
      ctx.manager,
      reqs.map((r) => r.payload),
    );
    for (const r of reqs) {
      const outcome: CardLinkVerifiedV1 = {
        cardNumber: r.payload.cardNumber,
        personalId: r.payload.personalId,
        batchId: r.payload.batchId,
        ...check(r.payload),
      };
      ctx.publish(r, 'population.card-link-verified.v1', outcome);
    }
  }
}
