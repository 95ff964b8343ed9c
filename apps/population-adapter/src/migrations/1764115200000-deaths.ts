import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Deaths1764115200000 implements MigrationInterface {
  name = 'Deaths1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE citizens ADD COLUMN date_of_death date, ADD COLUMN residence_removed_on date',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE citizens DROP COLUMN date_of_death, DROP COLUMN residence_removed_on',
    );
  }
}
