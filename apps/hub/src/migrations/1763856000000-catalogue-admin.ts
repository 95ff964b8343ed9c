import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API credentials by role, and the catalogue file version last applied. */
export class CatalogueAdmin1763856000000 implements MigrationInterface {
  name = 'CatalogueAdmin1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE credentials (
      id uuid PRIMARY KEY,
      key_sha256 char(64) NOT NULL,
      role text NOT NULL,
      system_code text,
      label text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz)`);
    await q.query('CREATE UNIQUE INDEX "IDX_credentials_key" ON credentials (key_sha256)');
    await q.query(`CREATE TABLE catalogue_versions (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE catalogue_versions');
    await q.query('DROP TABLE credentials');
  }
}
