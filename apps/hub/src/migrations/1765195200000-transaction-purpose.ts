import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each transaction keeps the purpose and legal basis of the subscription it was delivered
 * under, as the catalogue stated them when it was opened, so that a citizen's exchange
 * history says why each system received their data even after the catalogue changes.
 * Transactions opened before this have none (the catalogue of their time is not known).
 */
export class TransactionPurpose1765195200000 implements MigrationInterface {
  name = 'TransactionPurpose1765195200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE transactions ADD COLUMN purpose text, ADD COLUMN legal_basis text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE transactions DROP COLUMN purpose, DROP COLUMN legal_basis');
  }
}
