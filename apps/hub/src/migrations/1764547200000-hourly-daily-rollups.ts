import type { MigrationInterface, QueryRunner } from 'typeorm';

const UNITS = ['hour', 'day'] as const;

/**
 * Hourly and daily roll-ups beside the per-minute ones, kept by the same trigger: a rate
 * over a year reads a few thousand daily rows instead of half a million minutes' worth.
 */
export class HourlyDailyRollups1764547200000 implements MigrationInterface {
  name = 'HourlyDailyRollups1764547200000';

  async up(q: QueryRunner): Promise<void> {
    for (const unit of UNITS) {
      await q.query(`CREATE TABLE rollups_${unit} (LIKE rollups INCLUDING ALL)`);
    }
    await q.query('ALTER TABLE rollups RENAME TO rollups_minute');
    // The per-unit upsert, written once: the unit's table name and truncation vary.
    await q.query(`CREATE OR REPLACE FUNCTION lgsp_rollup_apply(t transactions, sign integer) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        ok boolean := t.status = 'SUCCESS' AND t.latency_ms IS NOT NULL;
        hist integer[] := array_fill(0, ARRAY[14]);
        unit text;
      BEGIN
        IF t.published_at IS NULL THEN RETURN; END IF;
        IF ok THEN hist[lgsp_latency_bucket(t.latency_ms)] := sign; END IF;
        FOREACH unit IN ARRAY ARRAY['minute', 'hour', 'day'] LOOP
          EXECUTE format($f$
            INSERT INTO %I AS r (minute, service_code, provider, consumer, pending, success, failed, rejected,
                                 timed_out, latency_sum_ms, latency_max_ms, latency_histogram)
            VALUES (date_trunc(%L, $1), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (minute, service_code, provider, consumer) DO UPDATE SET
              pending = r.pending + EXCLUDED.pending, success = r.success + EXCLUDED.success,
              failed = r.failed + EXCLUDED.failed, rejected = r.rejected + EXCLUDED.rejected,
              timed_out = r.timed_out + EXCLUDED.timed_out,
              latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
              latency_max_ms = GREATEST(r.latency_max_ms, EXCLUDED.latency_max_ms),
              latency_histogram = (SELECT array_agg(a + b ORDER BY i)
                                     FROM unnest(r.latency_histogram, EXCLUDED.latency_histogram) WITH ORDINALITY AS x(a, b, i))
            $f$, 'rollups_' || unit, unit)
          USING t.published_at, COALESCE(t.service_code, ''), COALESCE(t.provider, ''), t.consumer,
                CASE WHEN t.status = 'PENDING' THEN sign ELSE 0 END,
                CASE WHEN t.status = 'SUCCESS' THEN sign ELSE 0 END,
                CASE WHEN t.status = 'FAILED' THEN sign ELSE 0 END,
                CASE WHEN t.status = 'REJECTED' THEN sign ELSE 0 END,
                CASE WHEN t.status = 'TIMED_OUT' THEN sign ELSE 0 END,
                CASE WHEN ok THEN sign * t.latency_ms ELSE 0 END,
                CASE WHEN ok AND sign > 0 THEN t.latency_ms ELSE 0 END,
                hist;
        END LOOP;
      END $$`);
    // Counted again from the transactions, into all three.
    await q.query('TRUNCATE rollups_minute');
    await q.query('SELECT lgsp_rollup_apply(t, 1) FROM transactions t');
  }

  down(): Promise<void> {
    return Promise.reject(new Error('Hourly and daily roll-ups are not removed.'));
  }
}
