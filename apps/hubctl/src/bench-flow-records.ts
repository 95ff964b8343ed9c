import type { BirthRegisteredV1 } from '@lgsp/contracts';
import { OutboxWriter, type RawOutboxMessage, uuidv7 } from '@lgsp/messaging';
import { aBirthRegistration, type Rng } from '@lgsp/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { seed } from './seed';

/** A citizen as the population register holds them. */
export interface Person {
  personal_id: string;
  full_name: string;
  sex: 'MALE' | 'FEMALE';
  date_of_birth: string;
}

/** People drawn once from the register, so that making a record never queries it. */
export interface People {
  mothers: Person[];
  fathers: Person[];
  /** Alive and over 70: the deaths of the mix. */
  elderly: Person[];
  /** The owners of the mix's land registrations. */
  adults: Person[];
}

const POOL = 5000;

/**
 * Makes sure the register holds the parents the births will name — synthetic households
 * through `hubctl seed` (the same seed adds nobody twice) — and draws the pools.
 */
export async function preparePeople(o: {
  populationUrl: string;
  insuranceUrl: string;
  citizens: number;
  seed: number;
  provinceCode: string;
  say(line: string): void;
}): Promise<People> {
  const added = await seed({ ...o, progress: () => undefined });
  o.say(`register: ${added.citizens} synthetic citizens added (seed ${o.seed})`);
  const db = new Client({ connectionString: o.populationUrl });
  await db.connect();
  try {
    const pool = async (where: string) =>
      (
        await db.query<Person>(
          `SELECT personal_id, full_name, sex, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth
             FROM citizens WHERE status = 'ALIVE' AND ${where} LIMIT ${POOL}`,
        )
      ).rows;
    const age = (from: number, to: number) =>
      `date_of_birth BETWEEN now() - interval '${to} years' AND now() - interval '${from} years'`;
    const people: People = {
      mothers: await pool(`sex = 'FEMALE' AND ${age(19, 45)}`),
      fathers: await pool(`sex = 'MALE' AND ${age(20, 50)}`),
      elderly: await pool(`date_of_birth < now() - interval '70 years'`),
      adults: await pool(`date_of_birth < now() - interval '20 years'`),
    };
    if (people.mothers.length === 0 || people.fathers.length === 0)
      throw new Error('the register holds no parents of age; seed more with --citizens N');
    return people;
  } finally {
    await db.end();
  }
}

export type BirthBody = ReturnType<typeof aBirthRegistration>;

const ref = (p: Person) => ({ personalId: p.personal_id, fullName: p.full_name });

/** Births of registered parents, each with a natural key (name, sex, date, parents) new to this run. */
export class BirthMaker {
  private readonly seen = new Set<string>();

  constructor(
    private readonly people: People,
    private readonly rng: Rng,
  ) {}

  next(): BirthBody {
    for (;;) {
      const birth = aBirthRegistration(this.rng, {
        mother: ref(this.rng.pick(this.people.mothers)),
      });
      birth.father = ref(this.rng.pick(this.people.fathers));
      const { child, mother, father } = birth;
      const key = [
        child.fullName,
        child.sex,
        child.dateOfBirth,
        mother.personalId,
        father.personalId,
      ].join('|');
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      return birth;
    }
  }
}

/** The rest of the mix, shaped as `hubctl demo` sends it. */
export class MixMaker {
  constructor(
    private readonly people: People,
    private readonly rng: Rng,
  ) {}

  /** A death of someone still alive in the pool; undefined once the pool is used up. */
  death(): object | undefined {
    const p = this.people.elderly.pop();
    if (!p) return undefined;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const deceased = { ...ref(p), sex: p.sex, dateOfBirth: p.date_of_birth };
    return { deceased, dateOfDeath: yesterday };
  }

  parcel(): object {
    const r = this.rng;
    const owners = [r.pick(this.people.adults), r.pick(this.people.adults)]
      .slice(0, r.int(1, 2))
      .map((p) => ({ ...ref(p), dateOfBirth: p.date_of_birth }));
    const parcel = {
      communeCode: String(r.int(1, 32_000)).padStart(5, '0'),
      mapSheetNumber: r.int(1, 300),
      parcelNumber: r.int(1, 99_999),
      areaM2: r.int(40, 2000),
      landUsePurpose: r.pick(['ODT', 'ONT', 'CLN', 'LUC']),
    };
    return { parcel, owners };
  }
}

/**
 * A `birth-registered` record exactly as civil-status's outbox relay sends it (key,
 * CloudEvents headers, JSON value), built by the same writer: the raw Kafka baseline moves
 * records of this size and shape.
 */
export function aBirthRecord(rng: Rng, people: People): RawOutboxMessage {
  const writer = new OutboxWriter({
    system: 'civil-status',
    provinceCode: '01',
    topicPrefix: '',
    subjectHashKey: randomBytes(32).toString('hex'),
  });
  const data: BirthRegisteredV1 = {
    ...new BirthMaker(people, rng).next(),
    registrationId: randomUUID(),
    registeredOn: new Date().toISOString().slice(0, 10),
    registrationProvinceCode: '01',
  };
  return writer.build({ type: 'civil-status.birth-registered.v1', data, correlationId: uuidv7() })
    .message;
}
