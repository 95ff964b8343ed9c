import {
  formatPersonalId,
  personalIdPrefix,
  provinceByIdPrefix,
  sameName,
  today,
  type Sex,
} from '@lgsp/contracts';

/** A citizen to put in the simulated register before a test (or over `/_simulator/citizens`). */
export interface SimulatedCitizen {
  personalId: string;
  fullName: string;
  sex: Sex;
  dateOfBirth: string;
  permanentAddress?: string | null;
  status?: 'ALIVE' | 'DECEASED';
}

/** A citizen as `GET /v1/citizens/{personalId}` answers them. */
export interface CitizenRecord {
  personalId: string;
  fullName: string;
  sex: Sex;
  dateOfBirth: string;
  permanentAddress: string | null;
  status: 'ALIVE' | 'DECEASED';
  dateOfDeath: string | null;
  residenceRemovedOn: string | null;
}

export interface IdentityCheckItem {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
}

export type IdentityCheckResult =
  | { result: 'MATCH' }
  | { result: 'MISMATCH'; mismatchedFields: ('fullName' | 'dateOfBirth')[] }
  | { result: 'NOT_FOUND' };

export interface NewbornItem {
  /** The client's id of this request item: the same again gets the same answer. */
  requestId: string;
  birthRegistrationId: string;
  fullName: string;
  sex: Sex;
  dateOfBirth: string;
  /** The first three digits of a personal ID; the request validation has checked it is known. */
  provinceCode: string;
  motherId?: string;
  fatherId?: string;
}

export type NewbornResult =
  | { status: 'REGISTERED'; personalId: string; permanentAddress: string | null }
  | {
      status: 'REFUSED';
      code:
        'PARENT_NOT_FOUND' | 'PARENT_DECEASED' | 'ID_RANGE_EXHAUSTED' | 'BIRTH_ALREADY_REGISTERED';
      message: string;
    };

export interface DeathItem {
  requestId: string;
  deathRegistrationId: string;
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  dateOfDeath: string;
}

export type DeathResult =
  | { status: 'RECORDED'; residenceRemovedOn: string }
  | {
      status: 'REFUSED';
      code: 'CITIZEN_NOT_FOUND' | 'ALREADY_DECEASED' | 'IDENTITY_MISMATCH';
      message: string;
    };

const MAX_SERIAL = 999_999;

/**
 * The national register in memory, with the rules the contract states: identity checks
 * compare names as `sameName` does; a newborn is registered once per birth registration id
 * and a death once per citizen; the same request id again answers the same result, another
 * request for a birth or death already entered is refused. Serials start at 1 per ID prefix and skip IDs that seeded citizens hold,
 * so an ID is never handed out twice.
 */
export class InMemoryPopulationRegister {
  private readonly citizens = new Map<string, CitizenRecord>();
  /** birthRegistrationId → the request that entered it and the answer it got. */
  private readonly births = new Map<string, { requestId: string; result: NewbornResult }>();
  /** personalId → the request that recorded the death. */
  private readonly deaths = new Map<string, string>();
  private readonly lastSerial = new Map<string, number>();

  seed(citizens: SimulatedCitizen[]): void {
    for (const c of citizens) {
      this.citizens.set(c.personalId, {
        personalId: c.personalId,
        fullName: c.fullName,
        sex: c.sex,
        dateOfBirth: c.dateOfBirth,
        permanentAddress: c.permanentAddress ?? null,
        status: c.status ?? 'ALIVE',
        dateOfDeath: null,
        residenceRemovedOn: null,
      });
    }
  }

  clear(): void {
    this.citizens.clear();
    this.births.clear();
    this.deaths.clear();
    this.lastSerial.clear();
  }

  citizen(personalId: string): CitizenRecord | undefined {
    const found = this.citizens.get(personalId);
    return found && { ...found };
  }

  checkIdentity(item: IdentityCheckItem): IdentityCheckResult {
    const c = this.citizens.get(item.personalId);
    if (!c) return { result: 'NOT_FOUND' };
    const mismatchedFields: ('fullName' | 'dateOfBirth')[] = [];
    if (!sameName(c.fullName, item.fullName)) mismatchedFields.push('fullName');
    if (c.dateOfBirth !== item.dateOfBirth) mismatchedFields.push('dateOfBirth');
    return mismatchedFields.length ? { result: 'MISMATCH', mismatchedFields } : { result: 'MATCH' };
  }

  registerNewborn(item: NewbornItem): NewbornResult {
    const earlier = this.births.get(item.birthRegistrationId);
    if (earlier?.requestId === item.requestId) return earlier.result;
    if (earlier)
      return refused(
        'BIRTH_ALREADY_REGISTERED',
        `birth registration ${item.birthRegistrationId} was entered by another request`,
      );
    const parents = [
      ['mother', item.motherId],
      ['father', item.fatherId],
    ] as const;
    for (const [role, id] of parents) {
      if (id === undefined) continue;
      const parent = this.citizens.get(id);
      if (!parent) return refused('PARENT_NOT_FOUND', `the ${role} ${id} is not in the register`);
      if (parent.status === 'DECEASED') {
        return refused('PARENT_DECEASED', `the ${role} ${id} is recorded as deceased`);
      }
    }
    const personalId = this.nextPersonalId(item);
    if (!personalId) {
      return refused(
        'ID_RANGE_EXHAUSTED',
        'no personal ID is left for this province, sex and year',
      );
    }
    const address = (id?: string) => (id ? this.citizens.get(id)?.permanentAddress : null) ?? null;
    const permanentAddress = address(item.motherId) ?? address(item.fatherId);
    this.seed([{ ...item, personalId, permanentAddress }]);
    const result: NewbornResult = { status: 'REGISTERED', personalId, permanentAddress };
    this.births.set(item.birthRegistrationId, { requestId: item.requestId, result });
    return result;
  }

  recordDeath(item: DeathItem): DeathResult {
    const c = this.citizens.get(item.personalId);
    if (!c) return refused('CITIZEN_NOT_FOUND', `${item.personalId} is not in the register`);
    if (c.status === 'DECEASED') {
      const bySameRequest = this.deaths.get(c.personalId) === item.requestId;
      if (bySameRequest && c.residenceRemovedOn) {
        return { status: 'RECORDED', residenceRemovedOn: c.residenceRemovedOn };
      }
      return refused('ALREADY_DECEASED', `${item.personalId} is already recorded as deceased`);
    }
    if (!sameName(c.fullName, item.fullName) || c.dateOfBirth !== item.dateOfBirth) {
      return refused('IDENTITY_MISMATCH', 'the name or date of birth differs from the register');
    }
    const now = today();
    const residenceRemovedOn = item.dateOfDeath > now ? item.dateOfDeath : now;
    Object.assign(c, {
      status: 'DECEASED',
      dateOfDeath: item.dateOfDeath,
      permanentAddress: null,
      residenceRemovedOn,
    });
    this.deaths.set(c.personalId, item.requestId);
    return { status: 'RECORDED', residenceRemovedOn };
  }

  private nextPersonalId(item: NewbornItem): string | undefined {
    const province = provinceByIdPrefix(item.provinceCode);
    if (!province) throw new RangeError(`unknown province code ${item.provinceCode}`);
    const prefix = personalIdPrefix(province.code, item.sex, Number(item.dateOfBirth.slice(0, 4)));
    let serial = (this.lastSerial.get(prefix) ?? 0) + 1;
    while (serial <= MAX_SERIAL && this.citizens.has(formatPersonalId(prefix, serial))) serial++;
    if (serial > MAX_SERIAL) return undefined;
    this.lastSerial.set(prefix, serial);
    return formatPersonalId(prefix, serial);
  }
}

function refused<C extends string>(code: C, message: string) {
  return { status: 'REFUSED' as const, code, message };
}
