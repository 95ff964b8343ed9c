import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Log entries are identified by their record (a republished record is logged once);
 * transactions learn deadlines (TIMED_OUT, late receipts) and replays.
 */
export class DeliveryTracking1764028800000 implements MigrationInterface {
  name = 'DeliveryTracking1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE log_entries ADD COLUMN record_id text');
    await q.query(
      `UPDATE log_entries SET record_id = topic || '/' || kafka_partition || '/' || kafka_offset`,
    );
    await q.query('ALTER TABLE log_entries ALTER COLUMN record_id SET NOT NULL');
    await q.query('DROP INDEX "IDX_log_entries_position"');
    await q.query('CREATE UNIQUE INDEX "IDX_log_entries_record" ON log_entries (record_id)');
    await q.query(
      'CREATE INDEX "IDX_log_entries_position" ON log_entries (topic, kafka_partition, kafka_offset)',
    );
    await q.query('CREATE INDEX "IDX_log_entries_event" ON log_entries (event_id)');
    await q.query(`ALTER TABLE transactions
      ADD COLUMN late boolean NOT NULL DEFAULT false,
      ADD COLUMN timed_out_at timestamptz,
      ADD COLUMN replay_requested_at timestamptz`);
    await q.query('CREATE INDEX "IDX_transactions_status" ON transactions (status, published_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "IDX_transactions_status"');
    await q.query(
      'ALTER TABLE transactions DROP COLUMN late, DROP COLUMN timed_out_at, DROP COLUMN replay_requested_at',
    );
    await q.query('DROP INDEX "IDX_log_entries_event"');
    await q.query('DROP INDEX "IDX_log_entries_position"');
    await q.query('DROP INDEX "IDX_log_entries_record"');
    await q.query(
      'CREATE UNIQUE INDEX "IDX_log_entries_position" ON log_entries (topic, kafka_partition, kafka_offset)',
    );
    await q.query('ALTER TABLE log_entries DROP COLUMN record_id');
  }
}
