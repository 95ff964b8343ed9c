import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LATENCY_BUCKETS_MS } from './1764288000000-rollups';

const UNITS = ['minute', 'hour', 'day'] as const;
const BUCKETS = LATENCY_BUCKETS_MS.length + 1;
const STATUSES = ['PENDING', 'SUCCESS', 'FAILED', 'REJECTED', 'TIMED_OUT'];
const COUNTS = ['pending', 'success', 'failed', 'rejected', 'timed_out'];

/**
 * The roll-up upsert for one unit, from a set of signed row images `c` (+1 for a row as it
 * is now, −1 for a row as it was): the rows are summed per group first, so a statement
 * that touched a thousand transactions writes one roll-up row per group and unit, in key
 * order (two writers lock shared rows in the same order). Groups whose changes cancel out
 * (an update that moved nothing) are left alone.
 */
function upsert(unit: (typeof UNITS)[number], changes: string): string {
  const hist = Array.from(
    { length: BUCKETS },
    (_, i) => `sum(CASE WHEN c.ok AND c.bucket = ${i + 1} THEN c.sign ELSE 0 END)::int`,
  ).join(', ');
  const counts = STATUSES.map(
    (s) => `sum(CASE WHEN c.status = '${s}' THEN c.sign ELSE 0 END)::int`,
  );
  return `
    INSERT INTO rollups_${unit} AS r (minute, service_code, provider, consumer, ${COUNTS.join(', ')},
                                      latency_sum_ms, latency_max_ms, latency_histogram)
    SELECT date_trunc('${unit}', c.published_at), COALESCE(c.service_code, ''), COALESCE(c.provider, ''),
           c.consumer, ${counts.join(', ')},
           sum(CASE WHEN c.ok THEN c.sign * c.latency_ms ELSE 0 END),
           COALESCE(max(CASE WHEN c.ok AND c.sign > 0 THEN c.latency_ms END), 0),
           ARRAY[${hist}]
      FROM (SELECT x.*, x.status = 'SUCCESS' AND x.latency_ms IS NOT NULL AS ok,
                   lgsp_latency_bucket(x.latency_ms) AS bucket
              FROM (${changes}) x WHERE x.published_at IS NOT NULL) c
     GROUP BY 1, 2, 3, 4
    HAVING ${counts.map((e) => `${e} <> 0`).join(' OR ')}
           OR sum(CASE WHEN c.ok THEN c.sign * c.latency_ms ELSE 0 END) <> 0
           OR ARRAY[${hist}] <> array_fill(0, ARRAY[${BUCKETS}])
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (minute, service_code, provider, consumer) DO UPDATE SET
      ${COUNTS.map((c) => `${c} = r.${c} + EXCLUDED.${c}`).join(', ')},
      latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
      latency_max_ms = GREATEST(r.latency_max_ms, EXCLUDED.latency_max_ms),
      latency_histogram = (SELECT array_agg(a + b ORDER BY i)
                             FROM unnest(r.latency_histogram, EXCLUDED.latency_histogram) WITH ORDINALITY AS x(a, b, i));`;
}

const IMAGE = 'published_at, service_code, provider, consumer, status, latency_ms';

/**
 * Roll-ups kept per statement instead of per row: statement-level triggers read the rows a
 * statement inserted or changed (transition tables) and add them up per group before they
 * touch the roll-up tables. The counts are the same as the per-row trigger's; a batch of
 * receipts costs three upserts of a few rows instead of six per transaction.
 */
export class RollupsPerStatement1764720000000 implements MigrationInterface {
  name = 'RollupsPerStatement1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER transactions_rollup ON transactions');
    const inserted = `SELECT ${IMAGE}, 1 AS sign FROM new_rows`;
    const updated = `SELECT ${IMAGE}, -1 AS sign FROM old_rows UNION ALL ${inserted}`;
    await q.query(`CREATE FUNCTION lgsp_rollup_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${UNITS.map((u) => upsert(u, inserted)).join('\n')} RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION lgsp_rollup_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${UNITS.map((u) => upsert(u, updated)).join('\n')} RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER transactions_rollup_inserted AFTER INSERT ON transactions
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lgsp_rollup_inserted()`);
    await q.query(`CREATE TRIGGER transactions_rollup_updated AFTER UPDATE ON transactions
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION lgsp_rollup_updated()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER transactions_rollup_inserted ON transactions');
    await q.query('DROP TRIGGER transactions_rollup_updated ON transactions');
    await q.query('DROP FUNCTION lgsp_rollup_inserted()');
    await q.query('DROP FUNCTION lgsp_rollup_updated()');
    await q.query(`CREATE TRIGGER transactions_rollup AFTER INSERT OR UPDATE ON transactions
      FOR EACH ROW EXECUTE FUNCTION lgsp_rollup()`);
  }
}
