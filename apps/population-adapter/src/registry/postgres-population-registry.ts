import { sameName, today, type VerifiedField } from '@lgsp/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Citizen } from '../citizens/citizen.entity';
import { reservePersonalIds } from '../citizens/personal-id.allocator';
import type {
  DeathNotice,
  DeathOutcome,
  IdentityCheck,
  IdentityClaim,
  NewbornOutcome,
  NewbornRequest,
  PopulationRegistry,
  RegisteredCitizen,
  RegistryScope,
} from './population-registry';

const refused = (code: string, message: string) => ({ refused: { code, message } });

/** Compares a claimed identity with the register: name (case and spacing aside) and date of birth. */
export function verify(citizen: Citizen | undefined, claim: IdentityClaim): IdentityCheck {
  if (!citizen) return { result: 'NOT_FOUND' };
  const mismatched: VerifiedField[] = [];
  if (!sameName(citizen.fullName, claim.fullName)) mismatched.push('fullName');
  if (citizen.dateOfBirth !== claim.dateOfBirth) mismatched.push('dateOfBirth');
  return mismatched.length
    ? { result: 'MISMATCH', mismatchedFields: mismatched }
    : { result: 'MATCH' };
}

/** Why a death cannot be recorded against the register's entry, if it cannot. */
function deathProblem(citizen: Citizen | undefined, death: DeathNotice) {
  if (!citizen)
    return refused(
      'POPULATION.CITIZEN_NOT_FOUND',
      'the deceased is not in the population register',
    );
  if (citizen.status === 'DECEASED')
    return refused('POPULATION.ALREADY_DECEASED', 'the citizen is already recorded as deceased');
  if (!sameName(citizen.fullName, death.fullName) || citizen.dateOfBirth !== death.dateOfBirth)
    return refused(
      'POPULATION.IDENTITY_MISMATCH',
      'the deceased’s name or date of birth differs from the register',
    );
  return undefined;
}

const alreadyRegistered = () =>
  refused(
    'POPULATION.BIRTH_ALREADY_REGISTERED',
    'this birth registration was entered in the register by another request',
  );

/** A named parent must be in the register and alive; the refusal when not. */
function parentProblem(known: Map<string, Citizen>, personalId: string | undefined) {
  if (!personalId) return undefined;
  const found = known.get(personalId);
  if (!found)
    return refused(
      'POPULATION.PARENT_NOT_FOUND',
      'a parent named in the birth is not in the population register',
    );
  if (found.status === 'DECEASED')
    return refused(
      'POPULATION.PARENT_DECEASED',
      'a parent named in the birth is recorded as deceased',
    );
  return undefined;
}

/**
 * The reference register in the service's own PostgreSQL database (`citizens`), the default.
 * Every call works in the caller's transaction, so a change commits with its receipt; each
 * is set-based: one read of the register per batch, one statement per write.
 */
@Injectable()
export class PostgresPopulationRegistry implements PopulationRegistry {
  readonly kind = 'postgres';

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async checkIdentities(claims: IdentityClaim[], { manager }: RegistryScope) {
    const ids = [...new Set(claims.map((c) => c.personalId))];
    const found = new Map(
      (ids.length ? await manager.findBy(Citizen, { personalId: In(ids) }) : []).map((c) => [
        c.personalId,
        c,
      ]),
    );
    return claims.map((claim) => verify(found.get(claim.personalId), claim));
  }

  /**
   * A birth already entered answers the ID it got when asked by the same request (a retry),
   * and is refused when asked by another; the others get IDs reserved in blocks (see
   * `reservePersonalIds`) and are inserted in one statement, with the permanent address of
   * the mother, else the father.
   */
  async registerNewborns(
    newborns: NewbornRequest[],
    { manager }: RegistryScope,
  ): Promise<NewbornOutcome[]> {
    const parentIds = newborns.flatMap((n) =>
      [n.motherId, n.fatherId].filter((id) => id !== undefined),
    );
    const registrations = newborns.map((n) => n.birthRegistrationId);
    const rows = await manager.findBy(Citizen, [
      ...(parentIds.length ? [{ personalId: In(parentIds) }] : []),
      { birthRegistrationId: In(registrations) },
    ]);
    const known = new Map(rows.map((c) => [c.personalId, c]));
    const entered = new Map(
      rows.filter((c) => c.birthRegistrationId).map((c) => [c.birthRegistrationId!, c]),
    );
    const outcomes: (NewbornOutcome | undefined)[] = newborns.map((n) => {
      const earlier = entered.get(n.birthRegistrationId);
      if (earlier?.birthRequestId === n.requestId)
        return { personalId: earlier.personalId, permanentAddress: earlier.permanentAddress };
      if (earlier) return alreadyRegistered();
      return parentProblem(known, n.motherId) ?? parentProblem(known, n.fatherId);
    });
    // The first of several items with one registration id is entered; the same request
    // again gets its answer, another request is refused.
    const first = new Map<string, number>();
    const fresh = newborns
      .map((n, i) => ({ n, i }))
      .filter(({ n, i }) => {
        if (outcomes[i] !== undefined) return false;
        const j = first.get(n.birthRegistrationId);
        if (j !== undefined) {
          if (newborns[j].requestId !== n.requestId) outcomes[i] = alreadyRegistered();
          return false;
        }
        first.set(n.birthRegistrationId, i);
        return true;
      });
    const ids = await reservePersonalIds(
      manager.connection,
      fresh.map(({ n }) => ({
        provinceCode: n.provinceCode,
        sex: n.sex,
        dateOfBirth: n.dateOfBirth,
      })),
    );
    const inserts: Partial<Citizen>[] = [];
    fresh.forEach(({ n, i }, k) => {
      const personalId = ids[k];
      if (!personalId) {
        outcomes[i] = refused(
          'POPULATION.ID_RANGE_EXHAUSTED',
          'no personal IDs left for this prefix',
        );
        return;
      }
      const permanentAddress =
        [n.motherId, n.fatherId]
          .map((p) => (p ? known.get(p)?.permanentAddress : undefined))
          .find((a) => a) ?? null;
      inserts.push({
        personalId,
        fullName: n.fullName,
        sex: n.sex,
        dateOfBirth: n.dateOfBirth,
        permanentAddress,
        status: 'ALIVE',
        birthRegistrationId: n.birthRegistrationId,
        birthRequestId: n.requestId,
      });
      outcomes[i] = { personalId, permanentAddress };
    });
    if (inserts.length) await manager.insert(Citizen, inserts);
    return newborns.map((n, i) => outcomes[i] ?? outcomes[first.get(n.birthRegistrationId)!]!);
  }

  /**
   * Each citizen is recorded as deceased and the permanent residence removed (on the day of
   * death, or today if that is later), in one statement. The same request again answers as
   * the first time; another death of a deceased citizen is refused.
   */
  async recordDeaths(deaths: DeathNotice[], { manager }: RegistryScope): Promise<DeathOutcome[]> {
    const ids = deaths.map((d) => d.personalId);
    const register = new Map(
      (await manager.findBy(Citizen, { personalId: In(ids) })).map((c) => [c.personalId, c]),
    );
    const rows: {
      personal_id: string;
      date_of_death: string;
      removed_on: string;
      death_registration_id: string;
      death_request_id: string;
    }[] = [];
    const outcomes = deaths.map((death): DeathOutcome => {
      const citizen = register.get(death.personalId);
      if (citizen?.status === 'DECEASED' && citizen.deathRequestId === death.requestId)
        return { residenceRemovedOn: citizen.residenceRemovedOn! };
      const problem = deathProblem(citizen, death);
      if (problem) return problem;
      const removedOn = today() < death.dateOfDeath ? death.dateOfDeath : today();
      // A later notice in this batch finds the citizen deceased, by this death.
      Object.assign(citizen!, {
        status: 'DECEASED',
        deathRequestId: death.requestId,
        residenceRemovedOn: removedOn,
      });
      rows.push({
        personal_id: death.personalId,
        date_of_death: death.dateOfDeath,
        removed_on: removedOn,
        death_registration_id: death.deathRegistrationId,
        death_request_id: death.requestId,
      });
      return { residenceRemovedOn: removedOn };
    });
    if (rows.length)
      await manager.query(
        `UPDATE citizens AS c SET status = 'DECEASED', date_of_death = v.date_of_death,
                residence_removed_on = v.removed_on, permanent_address = NULL,
                death_registration_id = v.death_registration_id, death_request_id = v.death_request_id
           FROM jsonb_to_recordset($1::jsonb)
                AS v(personal_id char(12), date_of_death date, removed_on date,
                     death_registration_id uuid, death_request_id text)
          WHERE c.personal_id = v.personal_id`,
        [JSON.stringify(rows)],
      );
    return outcomes;
  }

  async lookUp(personalId: string): Promise<RegisteredCitizen | undefined> {
    const c = await this.dataSource.getRepository(Citizen).findOneBy({ personalId });
    if (!c) return undefined;
    return {
      personalId: c.personalId,
      fullName: c.fullName,
      sex: c.sex as RegisteredCitizen['sex'],
      dateOfBirth: c.dateOfBirth,
      permanentAddress: c.permanentAddress,
      status: c.status as RegisteredCitizen['status'],
      dateOfDeath: c.dateOfDeath,
      residenceRemovedOn: c.residenceRemovedOn,
    };
  }
}
