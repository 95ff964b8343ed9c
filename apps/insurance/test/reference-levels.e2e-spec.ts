import { insuranceService } from '@apps/insurance';
import { aCitizen, eventually, eventRecord, http, produceRaw, Rng, TestStack } from '@lgsp/testing';
import { randomUUID } from 'node:crypto';

const ADMIN_KEY = 'test-insurance-admin-key-0123456789';
const ADMIN = { 'x-api-key': ADMIN_KEY };

interface Allowance {
  amountVnd: number;
  baseSalaryVnd: number;
  baseKind: string;
  baseEffectiveFrom: string;
}

describe('insurance: the funeral allowance is based on an effective-dated table an administrator extends', () => {
  let stack: TestStack;
  const rng = new Rng(41_2024);
  const url = (path: string) => `${stack.url('insurance')}${path}`;

  /** A pensioner who dies on `dateOfDeath`; resolves to the allowance granted. */
  async function pensionerDies(dateOfDeath: string): Promise<Allowance> {
    const c = aCitizen(rng, 'MALE');
    const joined = await http('POST', url('/participants'), {
      personalId: c.personalId,
      fullName: c.fullName,
      dateOfBirth: c.dateOfBirth,
      isPensioner: true,
    });
    expect(joined.status).toBe(201);
    const record = eventRecord(stack, 'population', 'population.citizen-deceased.v1', {
      personalId: c.personalId,
      deathRegistrationId: randomUUID(),
      dateOfDeath,
      residenceRemovedOn: dateOfDeath,
    });
    await produceRaw(record.topic, [record.message]);
    return eventually(
      async () => {
        const res = await http<Allowance>('GET', url(`/funeral-allowances/${c.personalId}`));
        return res.status === 200 ? res.body : undefined;
      },
      { what: `the funeral allowance of a death on ${dateOfDeath}` },
    );
  }

  const add = (row: object, headers: Record<string, string> = ADMIN) =>
    http<{ code?: string; errors?: { field: string }[] }>(
      'POST',
      url('/reference-levels'),
      row,
      headers,
    );

  beforeAll(async () => {
    stack = await TestStack.start([insuranceService], {
      suffix: '_reference_levels',
      env: { INSURANCE_ADMIN_KEY: ADMIN_KEY },
    });
  });

  afterAll(() => stack.close());

  it('lists the seeded rows to anyone, each with its kind and legal source', async () => {
    const res = await http<{ items: { effectiveFrom: string; kind: string; source: string }[] }>(
      'GET',
      url('/reference-levels'),
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((r) => [r.effectiveFrom, r.kind])).toEqual([
      ['2019-07-01', 'BASE_SALARY'],
      ['2023-07-01', 'BASE_SALARY'],
      ['2024-07-01', 'BASE_SALARY'],
      ['2025-07-01', 'REFERENCE_LEVEL'],
    ]);
    expect(res.body.items[2]).toMatchObject({ amountVnd: 2_340_000 });
    expect(res.body.items[2].source).toContain('73/2024/NĐ-CP');
    expect(res.body.items[3]).toMatchObject({ amountVnd: 2_340_000 });
    expect(res.body.items[3].source).toContain('41/2024/QH15');
  });

  it('bases a death on 30 June 2025 on the base salary, and one on 1 July 2025 on the reference level', async () => {
    expect(await pensionerDies('2025-06-30')).toMatchObject({
      amountVnd: 23_400_000,
      baseSalaryVnd: 2_340_000,
      baseKind: 'BASE_SALARY',
      baseEffectiveFrom: '2024-07-01',
    });
    expect(await pensionerDies('2025-07-01')).toMatchObject({
      amountVnd: 23_400_000,
      baseSalaryVnd: 2_340_000,
      baseKind: 'REFERENCE_LEVEL',
      baseEffectiveFrom: '2025-07-01',
    });
  });

  it('lets only the administrator add a row', async () => {
    const row = {
      effectiveFrom: '2030-01-01',
      amountVnd: 2_600_000,
      kind: 'REFERENCE_LEVEL',
      source: 'Nghị định thử',
    };
    const anonymous = await add(row, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('INSURANCE.UNAUTHENTICATED');
    const wrong = await add(row, { 'x-api-key': 'not-the-insurance-admin-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INSURANCE.INVALID_CREDENTIAL');
  });

  it('refuses a row that would change an allowance already granted, a duplicate, and a malformed row', async () => {
    const inUse = await add({
      effectiveFrom: '2025-06-01',
      amountVnd: 2_000_000,
      kind: 'BASE_SALARY',
      source: 'Nghị định thử',
    });
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('INSURANCE.REFERENCE_LEVEL_IN_USE');
    const duplicate = await add({
      effectiveFrom: '2025-07-01',
      amountVnd: 2_340_000,
      kind: 'REFERENCE_LEVEL',
      source: 'Luật Bảo hiểm xã hội số 41/2024/QH15',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('INSURANCE.REFERENCE_LEVEL_EXISTS');
    const malformed = await add({
      effectiveFrom: '2027-01-15',
      amountVnd: 0,
      kind: 'BASE_SALARY',
      source: '',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(malformed.body.errors?.map((e) => e.field).sort()).toEqual([
      'amountVnd',
      'effectiveFrom',
      'kind',
      'source',
    ]);
  });

  it('uses a row the administrator adds for a later death, and records who added it', async () => {
    // An amount made up for the test: the table is data, so no code changes for it.
    const added = await add(
      {
        effectiveFrom: '2026-01-01',
        amountVnd: 2_500_000,
        kind: 'REFERENCE_LEVEL',
        source: 'Nghị định thử',
      },
      { ...ADMIN, 'x-correlation-id': 'reference-level-2026' },
    );
    expect(added.status).toBe(201);
    expect(await pensionerDies('2026-01-15')).toMatchObject({
      amountVnd: 25_000_000,
      baseSalaryVnd: 2_500_000,
      baseKind: 'REFERENCE_LEVEL',
      baseEffectiveFrom: '2026-01-01',
    });
    // A death in January 2026 was paid: December 2025 can no longer be given a new amount.
    const late = await add({
      effectiveFrom: '2025-12-01',
      amountVnd: 2_400_000,
      kind: 'REFERENCE_LEVEL',
      source: 'Nghị định thử',
    });
    expect(late.body.code).toBe('INSURANCE.REFERENCE_LEVEL_IN_USE');

    const changes = await http<{ items: Record<string, unknown>[] }>(
      'GET',
      url('/reference-levels/changes'),
    );
    expect(changes.status).toBe(200);
    expect(changes.body.items).toHaveLength(2);
    expect(changes.body.items[0]).toMatchObject({
      actor: 'migration ReferenceLevels1765152000000',
      effectiveFrom: '2025-07-01',
    });
    expect(changes.body.items[1].actor).toMatch(/^INSURANCE_ADMIN_KEY#[0-9a-f]{8}$/);
    expect(changes.body.items).toEqual([
      expect.anything(),
      expect.objectContaining({
        action: 'reference-level.added',
        effectiveFrom: '2026-01-01',
        details: { amountVnd: 2_500_000, kind: 'REFERENCE_LEVEL', source: 'Nghị định thử' },
        correlationId: 'reference-level-2026',
      }),
    ]);
  });
});
