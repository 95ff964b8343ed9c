import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InsuranceRecords1764115200000 implements MigrationInterface {
  name = 'InsuranceRecords1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE participants (
      personal_id char(12) PRIMARY KEY,
      social_insurance_number char(10) NOT NULL,
      full_name text NOT NULL,
      date_of_birth date NOT NULL,
      is_pensioner boolean NOT NULL DEFAULT false,
      contribution_months integer NOT NULL DEFAULT 0,
      date_of_death date,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(
      'CREATE UNIQUE INDEX "IDX_participants_si_number" ON participants (social_insurance_number)',
    );
    await q.query(`CREATE TABLE cards (
      card_number char(15) PRIMARY KEY,
      personal_id char(12) NOT NULL,
      social_insurance_number char(10) NOT NULL,
      beneficiary_group char(2) NOT NULL,
      benefit_level smallint NOT NULL,
      valid_from date NOT NULL,
      valid_to date NOT NULL,
      status text NOT NULL DEFAULT 'ACTIVE',
      terminated_on date,
      link_status text NOT NULL DEFAULT 'NOT_REQUESTED',
      link_mismatched_fields text[],
      link_updated_at timestamptz,
      issued_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE INDEX "IDX_cards_personal_id" ON cards (personal_id)');
    await q.query(
      `CREATE TABLE base_salaries (effective_from date PRIMARY KEY, amount_vnd bigint NOT NULL)`,
    );
    // Lương cơ sở: Nghị định 38/2019 (from 2019-07-01), 24/2023 (2023-07-01), 73/2024 (2024-07-01).
    await q.query(`INSERT INTO base_salaries VALUES
      ('2019-07-01', 1490000), ('2023-07-01', 1800000), ('2024-07-01', 2340000)`);
    await q.query(`CREATE TABLE funeral_allowances (
      personal_id char(12) PRIMARY KEY,
      date_of_death date NOT NULL,
      entitlement text NOT NULL,
      base_salary_vnd bigint NOT NULL,
      multiplier integer NOT NULL,
      amount_vnd bigint NOT NULL,
      granted_on date NOT NULL)`);
    await q.query(
      'CREATE TABLE si_serials (province_code char(2) PRIMARY KEY, last_serial integer NOT NULL)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'si_serials',
      'funeral_allowances',
      'base_salaries',
      'cards',
      'participants',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
