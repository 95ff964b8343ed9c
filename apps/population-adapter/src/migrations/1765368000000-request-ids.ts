import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A citizen recorded as deceased keeps the id of the death registration that did it, so the
 * register answers the same notice again as the first time (a notice retried after a
 * timeout) instead of refusing it as a second death.
 */
export class DeathRegistrationId1765368000000 implements MigrationInterface {
  name = 'DeathRegistrationId1765368000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE citizens ADD COLUMN death_registration_id uuid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE citizens DROP COLUMN death_registration_id');
  }
}
