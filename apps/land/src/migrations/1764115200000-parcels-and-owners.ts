import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ParcelsAndOwners1764115200000 implements MigrationInterface {
  name = 'ParcelsAndOwners1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE parcels (
      id uuid PRIMARY KEY,
      commune_code char(5) NOT NULL,
      map_sheet_number integer NOT NULL,
      parcel_number integer NOT NULL,
      area_m2 numeric(12,2) NOT NULL,
      land_use_purpose text NOT NULL,
      registered_on date NOT NULL,
      inheritance_flagged boolean NOT NULL DEFAULT false,
      correlation_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(
      'CREATE UNIQUE INDEX "IDX_parcels_key" ON parcels (commune_code, map_sheet_number, parcel_number)',
    );
    await q.query(`CREATE TABLE owners (
      owner_id uuid PRIMARY KEY,
      parcel_id uuid NOT NULL REFERENCES parcels(id),
      personal_id char(12) NOT NULL,
      full_name text NOT NULL,
      date_of_birth date NOT NULL,
      verification_status text NOT NULL DEFAULT 'PENDING',
      verification_result text,
      mismatched_fields text[],
      deceased boolean NOT NULL DEFAULT false)`);
    await q.query('CREATE INDEX "IDX_owners_personal_id" ON owners (personal_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE owners');
    await q.query('DROP TABLE parcels');
  }
}
