import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A receipt updates its transaction in place. With `status` indexed, no such update could be
 * HOT (heap-only): each wrote a new entry into every index of `transactions` and left a dead
 * row for the vacuum, the hub's largest cost on the flow benchmark. Now no index holds a
 * column that a receipt changes, and pages keep room for the updated row (fillfactor 50):
 * - the deadline check reads transactions by `published_at` (a new index), from the point
 *   its previous pass reached (`deadline_watermark`), instead of by status; a transaction
 *   opened already past its deadline (its event read late: a relay or broker backlog) is
 *   flagged `opened_late` until it closes, and found through a partial index;
 * - dead letters are found by `failed_at` (set when a transaction becomes FAILED or
 *   REJECTED, never cleared; NULL on the usual path), in a partial index.
 */
export class HotTransactionUpdates1765540800000 implements MigrationInterface {
  name = 'HotTransactionUpdates1765540800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('SET LOCAL statement_timeout = 0');
    await q.query('SET LOCAL lock_timeout = 0');
    await q.query('ALTER TABLE transactions ADD COLUMN failed_at timestamptz');
    await q.query('ALTER TABLE transactions DISABLE TRIGGER transactions_rollup_updated');
    await q.query(`UPDATE transactions SET failed_at = COALESCE(completed_at, published_at, now())
                    WHERE status IN ('FAILED', 'REJECTED')`);
    await q.query('ALTER TABLE transactions ENABLE TRIGGER transactions_rollup_updated');
    await q.query(`CREATE INDEX "IDX_transactions_failed" ON transactions (failed_at)
                    WHERE failed_at IS NOT NULL`);
    await q.query('CREATE INDEX "IDX_transactions_published" ON transactions (published_at)');
    await q.query('ALTER TABLE transactions ADD COLUMN opened_late boolean NOT NULL DEFAULT false');
    await q.query(`CREATE INDEX "IDX_transactions_opened_late" ON transactions (published_at)
                    WHERE opened_late`);
    // Where the deadline check starts: the oldest open transaction, and no later than a day
    // ago (no deadline is longer); the check then reads at most an hour of it per pass.
    await q.query(`CREATE TABLE deadline_watermark (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      checked_until timestamptz NOT NULL
    )`);
    await q.query(`INSERT INTO deadline_watermark (checked_until)
      SELECT LEAST(COALESCE(min(published_at), now()), now() - interval '1 day')
        FROM transactions WHERE status = 'PENDING'`);
    await q.query('DROP INDEX "IDX_transactions_status"');
    await q.query('ALTER TABLE transactions SET (fillfactor = 50)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE transactions RESET (fillfactor)');
    await q.query('CREATE INDEX "IDX_transactions_status" ON transactions (status, published_at)');
    await q.query('DROP TABLE deadline_watermark');
    await q.query('DROP INDEX "IDX_transactions_opened_late"');
    await q.query('ALTER TABLE transactions DROP COLUMN opened_late');
    await q.query('DROP INDEX "IDX_transactions_published"');
    await q.query('DROP INDEX "IDX_transactions_failed"');
    await q.query('ALTER TABLE transactions DROP COLUMN failed_at');
  }
}
