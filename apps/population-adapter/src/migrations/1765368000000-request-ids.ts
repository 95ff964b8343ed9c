import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register keeps, with each birth it entered and each death it recorded, the id of the
 * request that did it (the event's id) and the death registration: the same request again
 * (a retry) is answered as the first time, and another request for the same birth or death
 * is refused instead of being applied twice.
 */
export class RequestIds1765368000000 implements MigrationInterface {
  name = 'RequestIds1765368000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE citizens ADD COLUMN birth_request_id text,
                     ADD COLUMN death_registration_id uuid, ADD COLUMN death_request_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE citizens DROP COLUMN birth_request_id,
                     DROP COLUMN death_registration_id, DROP COLUMN death_request_id`);
  }
}
