import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A subscription states the law that entitles its consumer, beside its purpose (data
 * minimisation: what for, and on what ground). Existing rows have none until an
 * administrator, or a new version of the catalogue file, gives one.
 */
export class SubscriptionLegalBasis1765065600000 implements MigrationInterface {
  name = 'SubscriptionLegalBasis1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE subscriptions ADD COLUMN legal_basis text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE subscriptions DROP COLUMN legal_basis');
  }
}
