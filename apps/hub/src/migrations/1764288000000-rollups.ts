import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Latency histogram bucket upper bounds, in ms; the last bucket is everything above. */
export const LATENCY_BUCKETS_MS = [
  10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000,
];

/**
 * Per-minute roll-ups of transactions, by service × provider × consumer, kept by a trigger
 * on `transactions`: a status change moves its count from the old status to the new one in
 * the same database transaction, so a rate over a year reads a few rows per minute, not the log.
 */
export class Rollups1764288000000 implements MigrationInterface {
  name = 'Rollups1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rollups (
      minute timestamptz NOT NULL,
      service_code text NOT NULL,
      provider text NOT NULL,
      consumer text NOT NULL,
      pending integer NOT NULL DEFAULT 0,
      success integer NOT NULL DEFAULT 0,
      failed integer NOT NULL DEFAULT 0,
      rejected integer NOT NULL DEFAULT 0,
      timed_out integer NOT NULL DEFAULT 0,
      latency_sum_ms bigint NOT NULL DEFAULT 0,
      latency_max_ms integer NOT NULL DEFAULT 0,
      latency_histogram integer[] NOT NULL DEFAULT '{${Array(LATENCY_BUCKETS_MS.length + 1)
        .fill(0)
        .join(',')}}',
      PRIMARY KEY (minute, service_code, provider, consumer))`);
    await q.query(`CREATE FUNCTION lgsp_latency_bucket(ms integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
      SELECT 1 + count(*)::int FROM unnest(ARRAY[${LATENCY_BUCKETS_MS.join(',')}]) b WHERE ms > b $$`);
    await q.query(`CREATE FUNCTION lgsp_rollup_apply(t transactions, sign integer) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        ok boolean := t.status = 'SUCCESS' AND t.latency_ms IS NOT NULL;
        hist integer[] := '{${Array(LATENCY_BUCKETS_MS.length + 1)
          .fill(0)
          .join(',')}}';
      BEGIN
        IF t.published_at IS NULL THEN RETURN; END IF;
        IF ok THEN hist[lgsp_latency_bucket(t.latency_ms)] := sign; END IF;
        INSERT INTO rollups AS r (minute, service_code, provider, consumer, pending, success, failed, rejected,
                                  timed_out, latency_sum_ms, latency_max_ms, latency_histogram)
        VALUES (date_trunc('minute', t.published_at), COALESCE(t.service_code, ''), COALESCE(t.provider, ''), t.consumer,
                CASE WHEN t.status = 'PENDING' THEN sign ELSE 0 END,
                CASE WHEN t.status = 'SUCCESS' THEN sign ELSE 0 END,
                CASE WHEN t.status = 'FAILED' THEN sign ELSE 0 END,
                CASE WHEN t.status = 'REJECTED' THEN sign ELSE 0 END,
                CASE WHEN t.status = 'TIMED_OUT' THEN sign ELSE 0 END,
                CASE WHEN ok THEN sign * t.latency_ms ELSE 0 END,
                CASE WHEN ok AND sign > 0 THEN t.latency_ms ELSE 0 END,
                hist)
        ON CONFLICT (minute, service_code, provider, consumer) DO UPDATE SET
          pending = r.pending + EXCLUDED.pending, success = r.success + EXCLUDED.success,
          failed = r.failed + EXCLUDED.failed, rejected = r.rejected + EXCLUDED.rejected,
          timed_out = r.timed_out + EXCLUDED.timed_out,
          latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
          latency_max_ms = GREATEST(r.latency_max_ms, EXCLUDED.latency_max_ms),
          latency_histogram = (SELECT array_agg(a + b ORDER BY i) FROM unnest(r.latency_histogram, EXCLUDED.latency_histogram) WITH ORDINALITY AS x(a, b, i));
      END $$`);
    await q.query(`CREATE FUNCTION lgsp_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.published_at IS NOT DISTINCT FROM NEW.published_at
             AND OLD.latency_ms IS NOT DISTINCT FROM NEW.latency_ms AND OLD.service_code IS NOT DISTINCT FROM NEW.service_code
             AND OLD.provider IS NOT DISTINCT FROM NEW.provider THEN
            RETURN NULL;
          END IF;
          PERFORM lgsp_rollup_apply(OLD, -1);
        END IF;
        PERFORM lgsp_rollup_apply(NEW, 1);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER transactions_rollup AFTER INSERT OR UPDATE ON transactions
      FOR EACH ROW EXECUTE FUNCTION lgsp_rollup()`);
    // Transactions recorded before roll-ups existed.
    await q.query('SELECT lgsp_rollup_apply(t, 1) FROM transactions t');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER transactions_rollup ON transactions');
    await q.query('DROP FUNCTION lgsp_rollup()');
    await q.query('DROP FUNCTION lgsp_rollup_apply(transactions, integer)');
    await q.query('DROP FUNCTION lgsp_latency_bucket(integer)');
    await q.query('DROP TABLE rollups');
  }
}
