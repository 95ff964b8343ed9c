import { civilStatusService } from '@apps/civil-status';
import { seed } from '@apps/hubctl';
import { insuranceService } from '@apps/insurance';
import { populationService } from '@apps/population-adapter';
import { parsePersonalId } from '@lgsp/contracts';
import type { ServiceDefinition } from '@lgsp/platform';
import { aBirthRegistration, eventually, http, query, Rng, TestStack } from '@lgsp/testing';

describe('hubctl seed: synthetic Vietnamese citizens', () => {
  let stack: TestStack;
  const run = (s: number) =>
    seed({
      citizens: 3000,
      seed: s,
      populationUrl: stack.databaseUrl('population-adapter'),
      insuranceUrl: stack.databaseUrl('insurance'),
      provinceCode: '01',
      progress: () => undefined,
    });

  beforeAll(async () => {
    stack = await TestStack.start(
      [populationService, insuranceService, civilStatusService] as ServiceDefinition[],
      { suffix: '_seed' },
    );
  });

  afterAll(() => stack.close());

  it('is deterministic for a seed, adds nothing twice, and makes consistent ID numbers', async () => {
    const first = await run(42);
    expect(first.citizens).toBe(3000);
    expect(first.participants).toBeGreaterThan(1000);
    expect(first.cards).toBe(first.participants);
    expect(await run(42)).toEqual({ citizens: 0, participants: 0, cards: 0 });
    const rows = await query<{
      personal_id: string;
      sex: string;
      date_of_birth: string;
      permanent_address: string;
    }>(
      stack.databaseUrl('population-adapter'),
      "SELECT personal_id, sex, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, permanent_address FROM citizens",
    );
    for (const r of rows) {
      expect(parsePersonalId(r.personal_id)).toMatchObject({
        sex: r.sex,
        yearOfBirth: Number(r.date_of_birth.slice(0, 4)),
      });
    }
    const [households] = await query<{ n: string }>(
      stack.databaseUrl('population-adapter'),
      'SELECT count(*) AS n FROM (SELECT permanent_address FROM citizens GROUP BY 1 HAVING count(*) >= 2) x',
    );
    expect(Number(households.n)).toBeGreaterThan(500);
  });

  it('leaves the numbering so that a newborn is numbered after every seeded citizen of its prefix', async () => {
    const db = stack.databaseUrl('population-adapter');
    // A newborn sharing a seeded citizen's prefix: registered in province 01, same sex and year.
    const [twin] = await query<{ personal_id: string; sex: 'MALE' | 'FEMALE'; year: string }>(
      db,
      "SELECT personal_id, sex, to_char(date_of_birth, 'YYYY') AS year FROM citizens WHERE left(personal_id, 3) = '001' AND date_of_birth >= '1995-01-01' ORDER BY personal_id DESC LIMIT 1",
    );
    const [mother] = await query<{ personal_id: string; full_name: string }>(
      db,
      "SELECT personal_id, full_name FROM citizens WHERE sex = 'FEMALE' AND date_of_birth < $1::date - interval '18 years' LIMIT 1",
      [`${twin.year}-01-01`],
    );
    const birth = aBirthRegistration(new Rng(3), {
      mother: { personalId: mother.personal_id, fullName: mother.full_name },
    });
    delete (birth as { father?: unknown }).father;
    birth.child = { ...birth.child, sex: twin.sex, dateOfBirth: `${twin.year}-06-15` };
    const res = await http<{ registrationId: string }>(
      'POST',
      `${stack.url('civil-status')}/births`,
      birth,
    );
    expect(res.status).toBe(201);
    const [child] = await eventually(
      async () => {
        const r = await query<{ personal_id: string }>(
          db,
          'SELECT personal_id FROM citizens WHERE birth_registration_id = $1',
          [res.body.registrationId],
        );
        return r.length ? r : undefined;
      },
      { what: 'the newborn' },
    );
    expect(child.personal_id.slice(0, 6)).toBe(twin.personal_id.slice(0, 6));
    expect(Number(child.personal_id.slice(6))).toBeGreaterThan(Number(twin.personal_id.slice(6)));
  });
});
