import { hubService } from '@apps/hub';
import { migrate } from '@lgsp/persistence';
import { fullDatabase, serviceConfig } from '@lgsp/platform';
import { query, serviceTestEnv } from '@lgsp/testing';

/**
 * Migration 1765368000000 on a log that already holds transactions with purpose and legal
 * basis texts: each wording becomes one terms row, every transaction refers to its own, and
 * the roll-ups are what they were.
 */
describe('hub migration: transaction texts into subscription terms', () => {
  const env = serviceTestEnv('hub', {}, '_terms_migration');
  const url = serviceConfig(hubService, env).DATABASE_URL;
  const def = fullDatabase(hubService);
  const migrations = def.migrations as { name: string }[];
  // The migrations are classes: a class's name is its migration's name.
  const upTo = migrations.findIndex((m) => m.name === 'TransactionPurpose1765195200000');

  it('moves each wording into one terms row and refers every transaction to it', async () => {
    expect(upTo).toBeGreaterThan(0);
    await migrate(url, { ...def, migrations: migrations.slice(0, upTo + 1) as never });
    const rows: [string, string, string | null, string | null, string][] = [
      // consumer, service, purpose, legal basis, status
      ['insurance', 'citizen-registration', 'Cấp thẻ BHYT', 'Nghị định 146/2018/NĐ-CP', 'SUCCESS'],
      ['insurance', 'citizen-registration', 'Cấp thẻ BHYT', 'Nghị định 146/2018/NĐ-CP', 'PENDING'],
      [
        'insurance',
        'citizen-registration',
        'Cấp thẻ BHYT (sửa)',
        'Nghị định 146/2018/NĐ-CP',
        'FAILED',
      ],
      ['land', 'citizen-death', 'Đánh dấu thửa đất', null, 'SUCCESS'],
      ['land', 'citizen-death', null, null, 'SUCCESS'], // opened before purposes were kept
    ];
    await query(
      url,
      `INSERT INTO transactions (event_id, consumer, service_code, event_type, provider, status,
                                 purpose, legal_basis, published_at, completed_at, latency_ms)
       SELECT 'e' || n, c, s, 'x.v1', 'population', st, p, l,
              now() - make_interval(mins => n::int), now() - make_interval(mins => n::int) + interval '40 ms', 40
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
              AS r(c, s, p, l, st, n)`,
      [0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i])),
    );
    const rollups = () =>
      query<{ r: string }>(
        url,
        "SELECT string_agg(t::text, '|' ORDER BY t::text) AS r FROM rollups_minute t",
      );
    const before = await rollups();

    await migrate(url, def);

    const terms = await query<{ consumer: string; purpose: string; legal_basis: string | null }>(
      url,
      'SELECT consumer, purpose, legal_basis FROM subscription_terms ORDER BY consumer, purpose',
    );
    expect(terms).toEqual([
      { consumer: 'insurance', purpose: 'Cấp thẻ BHYT', legal_basis: 'Nghị định 146/2018/NĐ-CP' },
      {
        consumer: 'insurance',
        purpose: 'Cấp thẻ BHYT (sửa)',
        legal_basis: 'Nghị định 146/2018/NĐ-CP',
      },
      { consumer: 'land', purpose: 'Đánh dấu thửa đất', legal_basis: null },
    ]);
    const referred = await query<{ event_id: string; purpose: string | null }>(
      url,
      `SELECT t.event_id, st.purpose FROM transactions t
         LEFT JOIN subscription_terms st ON st.id = t.terms_id ORDER BY t.event_id`,
    );
    expect(referred.map((r) => r.purpose)).toEqual(rows.map((r) => r[2]));
    expect(await rollups()).toEqual(before);
  });
});
