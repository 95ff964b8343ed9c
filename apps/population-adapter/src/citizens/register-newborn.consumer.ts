import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { BirthRegisteredV1, CitizenRegisteredV1 } from '@lgsp/contracts';
import { type BatchItem, OnEvent, PermanentError, type SetContext } from '@lgsp/messaging';
import {
  isRefusal,
  POPULATION_REGISTRY,
  type PopulationRegistry,
} from '../registry/population-registry';

/**
 * Birth chain, step 2: each newborn is entered in the population register, which assigns
 * the personal ID and the permanent residence with a parent; one registry call per batch.
 */
@Controller()
export class RegisterNewbornConsumer {
  constructor(@Inject(POPULATION_REGISTRY) private readonly registry: PopulationRegistry) {}

  @OnEvent('civil-status.birth-registered.v1', { batch: true })
  async register(
    @Payload() births: BatchItem<BirthRegisteredV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const outcomes = await this.registry.registerNewborns(
      births.map(({ payload: b, envelope }) => ({
        requestId: envelope.id,
        birthRegistrationId: b.registrationId,
        fullName: b.child.fullName,
        sex: b.child.sex,
        dateOfBirth: b.child.dateOfBirth,
        provinceCode: b.registrationProvinceCode,
        ...(b.mother ? { motherId: b.mother.personalId } : {}),
        ...(b.father ? { fatherId: b.father.personalId } : {}),
      })),
      { manager: ctx.manager },
    );
    births.forEach((b, i) => {
      const outcome = outcomes[i];
      if (isRefusal(outcome)) {
        ctx.refuse(b, new PermanentError(outcome.refused.code, outcome.refused.message));
        return;
      }
      const birth = b.payload;
      const registered: CitizenRegisteredV1 = {
        personalId: outcome.personalId,
        birthRegistrationId: birth.registrationId,
        fullName: birth.child.fullName,
        sex: birth.child.sex,
        dateOfBirth: birth.child.dateOfBirth,
        ...(outcome.permanentAddress ? { permanentAddress: outcome.permanentAddress } : {}),
      };
      ctx.publish(b, 'population.citizen-registered.v1', registered);
    });
  }
}
