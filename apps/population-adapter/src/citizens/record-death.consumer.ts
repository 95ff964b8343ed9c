import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { type CitizenDeceasedV1, type DeathRegisteredV1, sameName, today } from '@lgsp/contracts';
import { type EventContext, OnEvent, PermanentError } from '@lgsp/messaging';
import { Citizen } from './citizen.entity';

/** Death chain, step 2: the citizen is recorded as deceased and the permanent residence removed. */
@Controller()
export class RecordDeathConsumer {
  @OnEvent('civil-status.death-registered.v1')
  async record(@Payload() death: DeathRegisteredV1, @Ctx() ctx: EventContext): Promise<void> {
    const m = ctx.manager;
    const citizen = await m.findOneBy(Citizen, { personalId: death.deceased.personalId });
    if (!citizen)
      throw new PermanentError(
        'POPULATION.CITIZEN_NOT_FOUND',
        'the deceased is not in the population register',
      );
    if (citizen.status === 'DECEASED')
      throw new PermanentError(
        'POPULATION.ALREADY_DECEASED',
        'the citizen is already recorded as deceased',
      );
    if (
      !sameName(citizen.fullName, death.deceased.fullName) ||
      citizen.dateOfBirth !== death.deceased.dateOfBirth
    ) {
      throw new PermanentError(
        'POPULATION.IDENTITY_MISMATCH',
        'the deceased’s name or date of birth differs from the register',
      );
    }
    const removedOn = today() < death.dateOfDeath ? death.dateOfDeath : today();
    await m.update(
      Citizen,
      { personalId: citizen.personalId },
      {
        status: 'DECEASED',
        dateOfDeath: death.dateOfDeath,
        residenceRemovedOn: removedOn,
        permanentAddress: null,
      },
    );
    const deceased: CitizenDeceasedV1 = {
      personalId: citizen.personalId,
      deathRegistrationId: death.registrationId,
      dateOfDeath: death.dateOfDeath,
      residenceRemovedOn: removedOn,
    };
    await ctx.publish('population.citizen-deceased.v1', deceased);
  }
}
