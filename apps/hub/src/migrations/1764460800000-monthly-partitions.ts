import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exchange log, partitioned by month of `occurred_at`. Uniqueness must include the
 * partition key, so a record is unique by (record_id, occurred_at) — the same, since a
 * record's time comes from the record itself. Entries keep their ids (seals name them).
 */
export class MonthlyPartitions1764460800000 implements MigrationInterface {
  name = 'MonthlyPartitions1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE log_entries RENAME TO log_entries_unpartitioned');
    for (const i of ['record', 'position', 'event', 'correlation', 'subject', 'occurred']) {
      await q.query(
        `ALTER INDEX "IDX_log_entries_${i}" RENAME TO "IDX_log_entries_unpartitioned_${i}"`,
      );
    }
    await q.query(`CREATE TABLE log_entries (
      id bigint NOT NULL DEFAULT nextval('log_entries_id_seq'),
      record_id text NOT NULL,
      kind text NOT NULL,
      event_id text NOT NULL,
      event_type text, service_code text, provider text, consumer text,
      status text, error_code text, reason text,
      subject_hash text, correlation_id text, payload_sha256 char(64),
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
      outcome text,
      PRIMARY KEY (id, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`);
    await q.query('CREATE TABLE log_entries_default PARTITION OF log_entries DEFAULT');
    await q.query(`CREATE FUNCTION lgsp_ensure_log_partitions(first_month date, last_month date) RETURNS integer
      LANGUAGE plpgsql AS $$
      DECLARE m date := date_trunc('month', first_month); made integer := 0; name text;
      BEGIN
        WHILE m <= last_month LOOP
          name := 'log_entries_' || to_char(m, 'YYYY_MM');
          IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF log_entries FOR VALUES FROM (%L) TO (%L)',
                           name, m, m + interval '1 month');
            made := made + 1;
          END IF;
          m := m + interval '1 month';
        END LOOP;
        RETURN made;
      END $$`);
    await q.query(`SELECT lgsp_ensure_log_partitions(
      LEAST(COALESCE((SELECT min(occurred_at) FROM log_entries_unpartitioned WHERE occurred_at > '2000-01-01'), now()), now())::date,
      (now() + interval '3 months')::date)`);
    await q.query(`INSERT INTO log_entries SELECT id, record_id, kind, event_id, event_type, service_code, provider,
      consumer, status, error_code, reason, subject_hash, correlation_id, payload_sha256, occurred_at, recorded_at,
      topic, kafka_partition, kafka_offset, outcome FROM log_entries_unpartitioned`);
    await q.query('ALTER SEQUENCE log_entries_id_seq OWNED BY log_entries.id');
    await q.query('DROP TABLE log_entries_unpartitioned');
    await q.query(
      'CREATE UNIQUE INDEX "IDX_log_entries_record" ON log_entries (record_id, occurred_at)',
    );
    await q.query(
      'CREATE INDEX "IDX_log_entries_position" ON log_entries (topic, kafka_partition, kafka_offset)',
    );
    await q.query('CREATE INDEX "IDX_log_entries_event" ON log_entries (event_id)');
    await q.query('CREATE INDEX "IDX_log_entries_correlation" ON log_entries (correlation_id)');
    await q.query('CREATE INDEX "IDX_log_entries_subject" ON log_entries (subject_hash)');
    await q.query('CREATE INDEX "IDX_log_entries_occurred" ON log_entries (occurred_at)');
    await q.query('CREATE INDEX "IDX_log_entries_id" ON log_entries (id)');
  }

  down(): Promise<void> {
    return Promise.reject(
      new Error('The partitioned exchange log is not turned back into one table.'),
    );
  }
}
