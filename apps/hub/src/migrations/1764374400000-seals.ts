import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Seals of the exchange log (Merkle root of a batch of entries, chained), and audit indexes. */
export class Seals1764374400000 implements MigrationInterface {
  name = 'Seals1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE seals (
      sequence integer PRIMARY KEY,
      first_entry_id bigint NOT NULL,
      last_entry_id bigint NOT NULL,
      entry_count integer NOT NULL,
      entry_ids bigint[] NOT NULL,
      leaf_hashes bytea NOT NULL,
      merkle_root char(64) NOT NULL,
      previous_seal_hash char(64) NOT NULL,
      seal_hash char(64) NOT NULL,
      sealed_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE UNIQUE INDEX "IDX_seals_last_entry" ON seals (last_entry_id)');
    // Audit: searches by citizen and by time, and a record of every audit query.
    await q.query('CREATE INDEX "IDX_log_entries_subject" ON log_entries (subject_hash)');
    await q.query('CREATE INDEX "IDX_log_entries_occurred" ON log_entries (occurred_at)');
    await q.query(`CREATE TABLE audit_queries (
      id uuid PRIMARY KEY,
      credential_id text NOT NULL,
      role text NOT NULL,
      action text NOT NULL,
      filter jsonb NOT NULL,
      row_count integer,
      at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_queries');
    await q.query('DROP INDEX "IDX_log_entries_occurred"');
    await q.query('DROP INDEX "IDX_log_entries_subject"');
    await q.query('DROP TABLE seals');
  }
}
