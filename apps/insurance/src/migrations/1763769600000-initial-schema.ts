import { MESSAGING_SCHEMA_DOWN, MESSAGING_SCHEMA_UP } from '@lgsp/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The insurance database starts with the messaging tables; cards and participants come with their flows. */
export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of MESSAGING_SCHEMA_UP) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of MESSAGING_SCHEMA_DOWN) await q.query(sql);
  }
}
