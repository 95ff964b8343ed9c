import { insuranceService } from '@apps/insurance';
import { migrate } from '@lgsp/persistence';
import { fullDatabase, serviceConfig } from '@lgsp/platform';
import { query, serviceTestEnv } from '@lgsp/testing';

describe('insurance: the base salary table becomes the reference-level table, keeping its data', () => {
  it('gives old rows their kind and source, and old allowances the row they were computed with', async () => {
    const url = serviceConfig(
      insuranceService,
      serviceTestEnv('insurance', {}, '_reference_levels_migration'),
    ).DATABASE_URL;
    const full = fullDatabase(insuranceService);
    const before = full.migrations.filter((m) => m.name !== 'ReferenceLevels1765152000000');
    expect(before).toHaveLength(full.migrations.length - 1);
    await migrate(url, { ...full, migrations: before });

    // A row entered by hand, and two allowances granted under the old table.
    await query(url, `INSERT INTO base_salaries VALUES ('2025-01-01', 2000000)`);
    await query(
      url,
      `INSERT INTO funeral_allowances VALUES
         ('001052000001', '2024-08-01', 'PENSIONER', 2340000, 10, 23400000, '2024-08-05'),
         ('001052000002', '2025-09-01', 'PENSIONER', 2000000, 10, 20000000, '2025-09-03')`,
    );
    expect(await migrate(url, full)).toEqual(['ReferenceLevels1765152000000']);

    const rows = await query<{ day: string; amount: string; kind: string; source: string }>(
      url,
      `SELECT effective_from::text AS day, amount_vnd AS amount, kind, source
         FROM reference_levels ORDER BY effective_from`,
    );
    expect(rows.map((r) => [r.day, Number(r.amount), r.kind])).toEqual([
      ['2019-07-01', 1_490_000, 'BASE_SALARY'],
      ['2023-07-01', 1_800_000, 'BASE_SALARY'],
      ['2024-07-01', 2_340_000, 'BASE_SALARY'],
      ['2025-01-01', 2_000_000, 'BASE_SALARY'],
      ['2025-07-01', 2_340_000, 'REFERENCE_LEVEL'],
    ]);
    expect(rows[0].source).toBe('Nghị định 38/2019/NĐ-CP (mức lương cơ sở)');
    expect(rows[3].source).toBe('not recorded (entered before sources were kept)');

    const allowances = await query<{ personal_id: string; kind: string; day: string }>(
      url,
      `SELECT personal_id, base_kind AS kind, base_effective_from::text AS day
         FROM funeral_allowances ORDER BY personal_id`,
    );
    expect(allowances).toEqual([
      { personal_id: '001052000001', kind: 'BASE_SALARY', day: '2024-07-01' },
      { personal_id: '001052000002', kind: 'BASE_SALARY', day: '2025-01-01' },
    ]);
  });
});
