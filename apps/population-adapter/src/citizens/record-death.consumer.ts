import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { type CitizenDeceasedV1, type DeathRegisteredV1, sameName, today } from '@lgsp/contracts';
import { type BatchItem, OnEvent, PermanentError, type SetContext } from '@lgsp/messaging';
import { In } from 'typeorm';
import { Citizen } from './citizen.entity';

/** Why a death cannot be recorded against the register's entry, if it cannot. */
function problemWith(
  citizen: Citizen | undefined,
  death: DeathRegisteredV1,
): PermanentError | undefined {
  if (!citizen)
    return new PermanentError(
      'POPULATION.CITIZEN_NOT_FOUND',
      'the deceased is not in the population register',
    );
  if (citizen.status === 'DECEASED')
    return new PermanentError(
      'POPULATION.ALREADY_DECEASED',
      'the citizen is already recorded as deceased',
    );
  if (
    !sameName(citizen.fullName, death.deceased.fullName) ||
    citizen.dateOfBirth !== death.deceased.dateOfBirth
  )
    return new PermanentError(
      'POPULATION.IDENTITY_MISMATCH',
      'the deceased’s name or date of birth differs from the register',
    );
  return undefined;
}

/**
 * Death chain, step 2: each citizen is recorded as deceased and the permanent residence
 * removed; a batch reads the register once and updates it in one statement.
 */
@Controller()
export class RecordDeathConsumer {
  @OnEvent('civil-status.death-registered.v1', { batch: true })
  async record(
    @Payload() deaths: BatchItem<DeathRegisteredV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const m = ctx.manager;
    const ids = deaths.map((d) => d.payload.deceased.personalId);
    const register = new Map(
      (await m.findBy(Citizen, { personalId: In(ids) })).map((c) => [c.personalId, c]),
    );
    const rows: { personal_id: string; date_of_death: string; removed_on: string }[] = [];
    for (const d of deaths) {
      const death = d.payload;
      const citizen = register.get(death.deceased.personalId);
      const problem = problemWith(citizen, death);
      if (problem) {
        ctx.refuse(d, problem);
        continue;
      }
      // A second death of the same citizen later in this batch finds the first.
      citizen!.status = 'DECEASED';
      const removedOn = today() < death.dateOfDeath ? death.dateOfDeath : today();
      rows.push({
        personal_id: citizen!.personalId,
        date_of_death: death.dateOfDeath,
        removed_on: removedOn,
      });
      const deceased: CitizenDeceasedV1 = {
        personalId: citizen!.personalId,
        deathRegistrationId: death.registrationId,
        dateOfDeath: death.dateOfDeath,
        residenceRemovedOn: removedOn,
      };
      ctx.publish(d, 'population.citizen-deceased.v1', deceased);
    }
    if (rows.length === 0) return;
    await m.query(
      `UPDATE citizens AS c SET status = 'DECEASED', date_of_death = v.date_of_death,
              residence_removed_on = v.removed_on, permanent_address = NULL
         FROM jsonb_to_recordset($1::jsonb) AS v(personal_id char(12), date_of_death date, removed_on date)
        WHERE c.personal_id = v.personal_id`,
      [JSON.stringify(rows)],
    );
  }
}
