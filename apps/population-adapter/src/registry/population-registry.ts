import type { Sex, VerifiedField } from '@lgsp/contracts';
import type { EntityManager } from 'typeorm';

/** A claimed identity to check against the register. */
export interface IdentityClaim {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
}

/** The register's answer to a claim: MISMATCH names the fields that differ. */
export type IdentityCheck =
  | { result: 'MATCH' }
  | { result: 'MISMATCH'; mismatchedFields: VerifiedField[] }
  | { result: 'NOT_FOUND' };

/**
 * A newborn to enter in the register. `requestId` (the id of the event being handled) makes
 * it idempotent: the same request again gets the same answer; another request for a birth
 * registration already entered is refused (`POPULATION.BIRTH_ALREADY_REGISTERED`).
 */
export interface NewbornRequest {
  requestId: string;
  birthRegistrationId: string;
  fullName: string;
  sex: Sex;
  dateOfBirth: string;
  /** The province where the birth was registered, its 2-digit code (it gives the ID's first three digits). */
  provinceCode: string;
  motherId?: string;
  fatherId?: string;
}

/** A death to record; `requestId` makes it idempotent, as for a newborn. */
export interface DeathNotice {
  requestId: string;
  deathRegistrationId: string;
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  dateOfDeath: string;
}

/** The register's final answer that a record cannot be entered: a stable code and why. */
export interface Refusal {
  refused: { code: string; message: string };
}

export type NewbornOutcome = { personalId: string; permanentAddress: string | null } | Refusal;
export type DeathOutcome = { residenceRemovedOn: string } | Refusal;

/** A citizen as the register holds them. */
export interface RegisteredCitizen {
  personalId: string;
  fullName: string;
  sex: Sex;
  dateOfBirth: string;
  permanentAddress: string | null;
  status: 'ALIVE' | 'DECEASED';
  dateOfDeath: string | null;
  residenceRemovedOn: string | null;
}

/**
 * Where a call runs: the consumer's database transaction. A register in the service's own
 * database writes in it, so its change commits with the receipt, exactly once; a remote
 * register ignores it and relies on the idempotency keys instead.
 */
export interface RegistryScope {
  manager: EntityManager;
}

/**
 * The National Population Database as the population adapter sees it. Each call takes a
 * batch and answers item by item, in order. A refusal is a final answer about that record;
 * anything else that goes wrong throws: `RegistryUnavailableError` (transient: the caller
 * retries, and counts the attempt), `RetryLaterError` (the register is not tried now: wait,
 * no attempt counted), or a `PermanentError` that applies to the whole batch.
 */
export interface PopulationRegistry {
  /** Which adapter this is, for logs and metrics. */
  readonly kind: 'postgres' | 'http';
  checkIdentities(claims: IdentityClaim[], scope: RegistryScope): Promise<IdentityCheck[]>;
  registerNewborns(newborns: NewbornRequest[], scope: RegistryScope): Promise<NewbornOutcome[]>;
  recordDeaths(deaths: DeathNotice[], scope: RegistryScope): Promise<DeathOutcome[]>;
  lookUp(personalId: string): Promise<RegisteredCitizen | undefined>;
}

export const POPULATION_REGISTRY = Symbol('POPULATION_REGISTRY');

/** The register could not answer now (timeout, 5xx, garbage, circuit open): retry later. */
export class RegistryUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryUnavailableError';
  }
}

export const isRefusal = (o: NewbornOutcome | DeathOutcome): o is Refusal => 'refused' in o;
