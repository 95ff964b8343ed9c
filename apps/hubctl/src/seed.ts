import {
  addDays,
  type BeneficiaryGroup,
  formatBhytCardNumber,
  nthBirthday,
  personalIdPrefix,
  PROVINCES,
  type Sex,
} from '@lgsp/contracts';
import { aDate, aFamilyName, aFullName, anAddress, Rng } from '@lgsp/testing';
import { Client } from 'pg';

export interface SeedOptions {
  citizens: number;
  seed: number;
  populationUrl: string;
  insuranceUrl: string;
  provinceCode: string;
  progress(done: number, total: number): void;
}

interface Person {
  personalId: string;
  fullName: string;
  sex: Sex;
  dateOfBirth: string;
  address: string;
  insured?: {
    pensioner: boolean;
    months: number;
    group: BeneficiaryGroup;
    level: number;
  };
}

const BATCH = 10_000;
/** Seeded serials start high, far from those the register hands to newborns. */
const SERIAL_BASE = 500_000;

/**
 * Synthetic citizens for the population register's reference copy, in households: two
 * parents with one family name and address, and their children. Some adults are insured
 * (BHXH/BHYT), some are pensioners; children under six and insured adults hold a card not
 * yet linked to their personal ID. The same seed gives the same people; seeding again
 * adds nothing twice.
 */
export async function seed(
  opts: SeedOptions,
): Promise<{ citizens: number; participants: number; cards: number }> {
  const rng = new Rng(opts.seed);
  const serials = new Map<string, number>();
  const idFor = (sex: Sex, dob: string, province: string) => {
    const prefix = personalIdPrefix(province, sex, Number(dob.slice(0, 4)));
    const next = (serials.get(prefix) ?? SERIAL_BASE + (opts.seed % 1000) * 400) + 1;
    serials.set(prefix, next);
    return `${prefix}${String(next).padStart(6, '0')}`;
  };
  const person = (sex: Sex, dob: string, family: string, address: string): Person => {
    const province = rng.pick(PROVINCES).code;
    const p: Person = {
      personalId: idFor(sex, dob, province),
      fullName: aFullName(rng, sex, family),
      sex,
      dateOfBirth: dob,
      address,
    };
    const age = 2026 - Number(dob.slice(0, 4));
    if (age >= 18 && rng.next() < 0.6) {
      const pensioner = age >= 60 && rng.next() < 0.7;
      p.insured = {
        pensioner,
        months: pensioner ? 240 + rng.int(0, 200) : rng.int(0, 360),
        group: pensioner ? 'HT' : rng.pick<BeneficiaryGroup>(['DN', 'HC', 'GD', 'HN']),
        level: pensioner ? 2 : rng.pick([3, 4]),
      };
    } else if (age < 6) {
      p.insured = {
        pensioner: false,
        months: 0,
        group: 'TE',
        level: 1,
      };
    }
    return p;
  };
  const household = (): Person[] => {
    const father = person('MALE', aDate(rng, 1950, 2000), aFamilyName(rng), anAddress(rng));
    const family = father.fullName.split(' ')[0];
    const motherYear = Number(father.dateOfBirth.slice(0, 4)) + rng.int(-3, 5);
    const mother = person(
      'FEMALE',
      aDate(rng, motherYear, motherYear),
      aFamilyName(rng),
      father.address,
    );
    const children = Array.from({ length: rng.int(0, 3) }, () => {
      const year = Math.min(2026, motherYear + rng.int(20, 38));
      return person(
        rng.pick(['MALE', 'FEMALE'] as const),
        aDate(rng, year, year),
        family,
        father.address,
      );
    });
    return [father, mother, ...children];
  };

  const population = new Client({ connectionString: opts.populationUrl });
  const insurance = new Client({ connectionString: opts.insuranceUrl });
  await population.connect();
  await insurance.connect();
  const count = async (c: Client, table: string) =>
    Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  try {
    const before = [
      await count(population, 'citizens'),
      await count(insurance, 'participants'),
      await count(insurance, 'cards'),
    ];
    let made = 0;
    while (made < opts.citizens) {
      const batch: Person[] = [];
      while (batch.length < BATCH && made + batch.length < opts.citizens)
        batch.push(...household());
      const people = batch.slice(0, opts.citizens - made);
      made += people.length;
      await insertCitizens(population, people);
      await insertInsured(
        insurance,
        people.filter((p) => p.insured),
        opts.provinceCode,
      );
      opts.progress(made, opts.citizens);
    }
    // Newborns must never be given a seeded number: move each prefix's counter past them.
    await population.query(
      `INSERT INTO id_serials (prefix, last_serial) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (prefix) DO UPDATE SET last_serial = GREATEST(id_serials.last_serial, EXCLUDED.last_serial)`,
      [[...serials.keys()], [...serials.values()]],
    );
    // What this run added: a second run with the same seed adds nothing.
    return {
      citizens: (await count(population, 'citizens')) - before[0],
      participants: (await count(insurance, 'participants')) - before[1],
      cards: (await count(insurance, 'cards')) - before[2],
    };
  } finally {
    await population.end();
    await insurance.end();
  }
}

async function insertCitizens(c: Client, people: Person[]): Promise<void> {
  const col = <T>(f: (p: Person) => T) => people.map(f);
  await c.query(
    `INSERT INTO citizens (personal_id, full_name, sex, date_of_birth, permanent_address, status)
     SELECT *, 'ALIVE' FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[])
     ON CONFLICT (personal_id) DO NOTHING`,
    [
      col((p) => p.personalId),
      col((p) => p.fullName),
      col((p) => p.sex),
      col((p) => p.dateOfBirth),
      col((p) => p.address),
    ],
  );
}

/** Participants not known yet get social-insurance numbers from the insurer's own counter, and a card. */
async function insertInsured(c: Client, people: Person[], province: string): Promise<void> {
  if (people.length === 0) return;
  const known = new Set(
    (
      await c.query<{ personal_id: string }>(
        'SELECT personal_id FROM participants WHERE personal_id = ANY($1)',
        [people.map((p) => p.personalId)],
      )
    ).rows.map((r) => r.personal_id),
  );
  const fresh = people.filter((p) => !known.has(p.personalId));
  if (fresh.length === 0) return;
  const [{ last_serial }] = (
    await c.query<{ last_serial: number }>(
      `INSERT INTO si_serials (province_code, last_serial) VALUES ($1, $2)
       ON CONFLICT (province_code) DO UPDATE SET last_serial = si_serials.last_serial + $2 RETURNING last_serial`,
      [province, fresh.length],
    )
  ).rows;
  const si = fresh.map(
    (_, i) => `${province}${String(last_serial - fresh.length + 1 + i).padStart(8, '0')}`,
  );
  const ins = fresh.map((p) => p.insured!);
  await c.query(
    `INSERT INTO participants (personal_id, social_insurance_number, full_name, date_of_birth, is_pensioner, contribution_months)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::bool[], $6::int[])`,
    [
      fresh.map((p) => p.personalId),
      si,
      fresh.map((p) => p.fullName),
      fresh.map((p) => p.dateOfBirth),
      ins.map((i) => i.pensioner),
      ins.map((i) => i.months),
    ],
  );
  const child = (p: Person) => p.insured!.group === 'TE';
  await c.query(
    `INSERT INTO cards (card_number, personal_id, social_insurance_number, beneficiary_group, benefit_level, valid_from, valid_to)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::date[], $7::date[])`,
    [
      fresh.map((p, i) =>
        formatBhytCardNumber(p.insured!.group, p.insured!.level, province, si[i]),
      ),
      fresh.map((p) => p.personalId),
      si,
      ins.map((i) => i.group),
      ins.map((i) => i.level),
      fresh.map((p) => (child(p) ? p.dateOfBirth : '2026-01-01')),
      fresh.map((p) => (child(p) ? addDays(nthBirthday(p.dateOfBirth, 6), -1) : '2026-12-31')),
    ],
  );
}
