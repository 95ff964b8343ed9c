import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cases are looked up by correlation id; verification events keep their (non-personal) result. */
export class CasesAndOutcomes1764201600000 implements MigrationInterface {
  name = 'CasesAndOutcomes1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE log_entries ADD COLUMN outcome text');
    await q.query('CREATE INDEX "IDX_log_entries_correlation" ON log_entries (correlation_id)');
    await q.query('CREATE INDEX "IDX_transactions_correlation" ON transactions (correlation_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "IDX_transactions_correlation"');
    await q.query('DROP INDEX "IDX_log_entries_correlation"');
    await q.query('ALTER TABLE log_entries DROP COLUMN outcome');
  }
}
