import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seals are signed (Ed25519, with a key the database does not hold): each stores its
 * signature and the signing key's id. Seals made before stay unsigned (decision 0009).
 */
export class SignedSeals1764806400000 implements MigrationInterface {
  name = 'SignedSeals1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE seals ADD COLUMN key_id text, ADD COLUMN signature bytea');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE seals DROP COLUMN signature, DROP COLUMN key_id');
  }
}
