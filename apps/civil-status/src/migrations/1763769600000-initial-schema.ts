import { MESSAGING_SCHEMA_DOWN, MESSAGING_SCHEMA_UP } from '@lgsp/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of MESSAGING_SCHEMA_UP) await q.query(sql);
    await q.query(`CREATE TABLE births (
      id uuid PRIMARY KEY,
      registered_on date NOT NULL,
      registration_province_code char(2) NOT NULL,
      child_full_name text NOT NULL,
      child_sex text NOT NULL,
      child_date_of_birth date NOT NULL,
      place_of_birth text,
      mother_personal_id char(12),
      mother_full_name text,
      father_personal_id char(12),
      father_full_name text,
      child_personal_id char(12),
      correlation_id text NOT NULL,
      event_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE births');
    for (const sql of MESSAGING_SCHEMA_DOWN) await q.query(sql);
  }
}
