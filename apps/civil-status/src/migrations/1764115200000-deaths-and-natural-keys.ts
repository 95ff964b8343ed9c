import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DeathsAndNaturalKeys1764115200000 implements MigrationInterface {
  name = 'DeathsAndNaturalKeys1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE births ADD COLUMN natural_key char(64)');
    await q.query("UPDATE births SET natural_key = encode(sha256(id::text::bytea), 'hex')");
    await q.query('ALTER TABLE births ALTER COLUMN natural_key SET NOT NULL');
    await q.query('CREATE UNIQUE INDEX "IDX_births_natural_key" ON births (natural_key)');
    await q.query(`CREATE TABLE deaths (
      id uuid PRIMARY KEY,
      registered_on date NOT NULL,
      deceased_personal_id char(12) NOT NULL,
      deceased_full_name text NOT NULL,
      deceased_sex text NOT NULL,
      deceased_date_of_birth date NOT NULL,
      date_of_death date NOT NULL,
      place_of_death text,
      correlation_id text NOT NULL,
      event_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE UNIQUE INDEX "IDX_deaths_deceased" ON deaths (deceased_personal_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE deaths');
    await q.query('DROP INDEX "IDX_births_natural_key"');
    await q.query('ALTER TABLE births DROP COLUMN natural_key');
  }
}
