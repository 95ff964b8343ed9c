import { MESSAGING_SCHEMA_DOWN, MESSAGING_SCHEMA_UP } from '@lgsp/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of MESSAGING_SCHEMA_UP) await q.query(sql);
    await q.query(`CREATE TABLE citizens (
      personal_id char(12) PRIMARY KEY,
      full_name text NOT NULL,
      sex text NOT NULL,
      date_of_birth date NOT NULL,
      permanent_address text,
      status text NOT NULL DEFAULT 'ALIVE',
      birth_registration_id uuid UNIQUE,
      registered_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE id_serials (
      prefix char(6) PRIMARY KEY,
      last_serial integer NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE id_serials');
    await q.query('DROP TABLE citizens');
    for (const sql of MESSAGING_SCHEMA_DOWN) await q.query(sql);
  }
}
