import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type {
  CardLinkRequestedV1,
  CardLinkVerifiedV1,
  IdentityVerifiedV1,
  OwnershipRegisteredV1,
} from '@lgsp/contracts';
import { type BatchItem, OnEvent, type SetContext } from '@lgsp/messaging';
import { POPULATION_REGISTRY, type PopulationRegistry } from '../registry/population-registry';

/**
 * Land-ownership flow and card–ID link: identities checked against the population register,
 * a batch of claims in one registry call.
 */
@Controller()
export class VerifyIdentityConsumer {
  constructor(@Inject(POPULATION_REGISTRY) private readonly registry: PopulationRegistry) {}

  @OnEvent('land.ownership-registered.v1', { batch: true })
  async owners(
    @Payload() regs: BatchItem<OwnershipRegisteredV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const owners = regs.flatMap((r) => r.payload.owners.map((owner) => ({ r, owner })));
    const checks = await this.registry.checkIdentities(
      owners.map(({ owner }) => owner),
      { manager: ctx.manager },
    );
    owners.forEach(({ r, owner }, i) => {
      const outcome: IdentityVerifiedV1 = {
        ownerId: owner.ownerId,
        registrationId: r.payload.registrationId,
        personalId: owner.personalId,
        ...checks[i],
      };
      ctx.publish(r, 'population.identity-verified.v1', outcome);
    });
  }

  @OnEvent('insurance.card-link-requested.v1', { batch: true })
  async cardLink(
    @Payload() reqs: BatchItem<CardLinkRequestedV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const checks = await this.registry.checkIdentities(
      reqs.map((r) => r.payload),
      { manager: ctx.manager },
    );
    reqs.forEach((r, i) => {
      const outcome: CardLinkVerifiedV1 = {
        cardNumber: r.payload.cardNumber,
        personalId: r.payload.personalId,
        batchId: r.payload.batchId,
        ...checks[i],
      };
      ctx.publish(r, 'population.card-link-verified.v1', outcome);
    });
  }
}
