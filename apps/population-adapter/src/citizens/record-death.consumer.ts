import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { CitizenDeceasedV1, DeathRegisteredV1 } from '@lgsp/contracts';
import { type BatchItem, OnEvent, PermanentError, type SetContext } from '@lgsp/messaging';
import {
  isRefusal,
  POPULATION_REGISTRY,
  type PopulationRegistry,
} from '../registry/population-registry';

/**
 * Death chain, step 2: each citizen is recorded as deceased in the population register and
 * the permanent residence removed; one registry call per batch.
 */
@Controller()
export class RecordDeathConsumer {
  constructor(@Inject(POPULATION_REGISTRY) private readonly registry: PopulationRegistry) {}

  @OnEvent('civil-status.death-registered.v1', { batch: true })
  async record(
    @Payload() deaths: BatchItem<DeathRegisteredV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const outcomes = await this.registry.recordDeaths(
      deaths.map(({ payload: d, envelope }) => ({
        requestId: envelope.id,
        deathRegistrationId: d.registrationId,
        personalId: d.deceased.personalId,
        fullName: d.deceased.fullName,
        dateOfBirth: d.deceased.dateOfBirth,
        dateOfDeath: d.dateOfDeath,
      })),
      { manager: ctx.manager },
    );
    deaths.forEach((d, i) => {
      const outcome = outcomes[i];
      if (isRefusal(outcome)) {
        ctx.refuse(d, new PermanentError(outcome.refused.code, outcome.refused.message));
        return;
      }
      const deceased: CitizenDeceasedV1 = {
        personalId: d.payload.deceased.personalId,
        deathRegistrationId: d.payload.registrationId,
        dateOfDeath: d.payload.dateOfDeath,
        residenceRemovedOn: outcome.residenceRemovedOn,
      };
      ctx.publish(d, 'population.citizen-deceased.v1', deceased);
    });
  }
}
