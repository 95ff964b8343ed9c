import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Months of the exchange log archived to files (see audit/log-archive.ts): which file, its
 * SHA-256, and the ids it took away, so that verifying the live log knows a sealed id that is
 * gone was archived rather than removed. Partitions are now made by attaching a table filled
 * with the month's rows from the default partition, so that history which landed there
 * (a rebuild of old topics, before this) moves into its own month.
 */
export class LogArchives1765281600000 implements MigrationInterface {
  name = 'LogArchives1765281600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE log_archives (
      id serial PRIMARY KEY,
      month date NOT NULL,
      file text NOT NULL,
      sha256 char(64) NOT NULL,
      entry_count bigint NOT NULL,
      seal_count integer NOT NULL,
      entry_ids int8multirange NOT NULL,
      archived_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE OR REPLACE FUNCTION lgsp_ensure_log_partitions(first_month date, last_month date)
      RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE m date := date_trunc('month', first_month); made integer := 0; name text;
      BEGIN
        WHILE m <= last_month LOOP
          name := 'log_entries_' || to_char(m, 'YYYY_MM');
          IF to_regclass(name) IS NULL THEN
            -- Rows of the month already in the default partition move with it (ids kept).
            EXECUTE format('CREATE TABLE %I (LIKE log_entries INCLUDING DEFAULTS)', name);
            EXECUTE format('INSERT INTO %I SELECT * FROM log_entries_default
                             WHERE occurred_at >= %L AND occurred_at < %L', name, m, m + interval '1 month');
            DELETE FROM log_entries_default WHERE occurred_at >= m AND occurred_at < m + interval '1 month';
            EXECUTE format('ALTER TABLE log_entries ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           name, m, m + interval '1 month');
            made := made + 1;
          END IF;
          m := m + interval '1 month';
        END LOOP;
        RETURN made;
      END $$`);
    await q.query(`SELECT lgsp_ensure_log_partitions(m::date, m::date)
      FROM (SELECT DISTINCT date_trunc('month', occurred_at) AS m FROM log_entries_default
             WHERE occurred_at < now() + interval '4 months') months`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE log_archives');
  }
}
