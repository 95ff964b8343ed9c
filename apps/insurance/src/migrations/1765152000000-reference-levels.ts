import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The sources of the base salaries seeded before sources were kept, by day and amount. */
const BASE_SALARY_SOURCES: [string, number, string][] = [
  ['2019-07-01', 1_490_000, 'Nghị định 38/2019/NĐ-CP (mức lương cơ sở)'],
  ['2023-07-01', 1_800_000, 'Nghị định 24/2023/NĐ-CP (mức lương cơ sở)'],
  ['2024-07-01', 2_340_000, 'Nghị định 73/2024/NĐ-CP (mức lương cơ sở)'],
];

/** The reference level from the day the Social Insurance Law 2024 took effect. */
const REFERENCE_LEVEL_2025 = {
  effectiveFrom: '2025-07-01',
  amountVnd: 2_340_000,
  source:
    'Luật Bảo hiểm xã hội số 41/2024/QH15, Điều 7 và khoản 13 Điều 141: khi chưa bãi bỏ mức ' +
    'lương cơ sở thì mức tham chiếu bằng mức lương cơ sở (Nghị định 73/2024/NĐ-CP)',
};

/**
 * The base salary table becomes the table of what the funeral allowance is based on: each row
 * says its kind (the base salary before 2025-07-01, the reference level from then on) and its
 * legal source; the 2025-07-01 reference level is seeded. Allowances granted before record the
 * row they were computed with (looked up as the service did, before that row existed). Changes
 * made over the API are recorded, append-only, in `reference_level_changes`.
 */
export class ReferenceLevels1765152000000 implements MigrationInterface {
  name = 'ReferenceLevels1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE base_salaries RENAME TO reference_levels');
    await q.query('ALTER INDEX base_salaries_pkey RENAME TO reference_levels_pkey');
    await q.query('ALTER TABLE reference_levels ADD COLUMN kind text, ADD COLUMN source text');
    await q.query(
      `UPDATE reference_levels r
          SET kind = CASE WHEN r.effective_from < DATE '2025-07-01' THEN 'BASE_SALARY' ELSE 'REFERENCE_LEVEL' END,
              source = COALESCE(
                (SELECT k.source FROM jsonb_to_recordset($1::jsonb) AS k(day date, amount bigint, source text)
                  WHERE k.day = r.effective_from AND k.amount = r.amount_vnd),
                'not recorded (entered before sources were kept)')`,
      [
        JSON.stringify(
          BASE_SALARY_SOURCES.map(([day, amount, source]) => ({ day, amount, source })),
        ),
      ],
    );
    await q.query(
      'ALTER TABLE reference_levels ALTER COLUMN kind SET NOT NULL, ALTER COLUMN source SET NOT NULL',
    );
    await q.query(`ALTER TABLE reference_levels ADD CONSTRAINT "CHK_reference_levels_kind" CHECK (
      (kind = 'BASE_SALARY' AND effective_from < DATE '2025-07-01')
      OR (kind = 'REFERENCE_LEVEL' AND effective_from >= DATE '2025-07-01'))`);

    await q.query(
      'ALTER TABLE funeral_allowances ADD COLUMN base_kind text, ADD COLUMN base_effective_from date',
    );
    await q.query(`UPDATE funeral_allowances f SET (base_kind, base_effective_from) = (
      SELECT r.kind, r.effective_from FROM reference_levels r
       WHERE r.effective_from <= f.date_of_death ORDER BY r.effective_from DESC LIMIT 1)`);
    await q.query(`ALTER TABLE funeral_allowances ALTER COLUMN base_kind SET NOT NULL,
      ALTER COLUMN base_effective_from SET NOT NULL`);

    await q.query(`CREATE TABLE reference_level_changes (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      action text NOT NULL,
      effective_from date NOT NULL,
      details jsonb NOT NULL,
      correlation_id text)`);
    await q.query(`CREATE FUNCTION lgsp_reference_level_changes_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'reference_level_changes is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER reference_level_changes_append_only
      BEFORE UPDATE OR DELETE ON reference_level_changes
      FOR EACH ROW EXECUTE FUNCTION lgsp_reference_level_changes_append_only()`);
    await q.query(`CREATE TRIGGER reference_level_changes_no_truncate
      BEFORE TRUNCATE ON reference_level_changes
      FOR EACH STATEMENT EXECUTE FUNCTION lgsp_reference_level_changes_append_only()`);

    const r = REFERENCE_LEVEL_2025;
    await q.query(
      `WITH added AS (
         INSERT INTO reference_levels (effective_from, amount_vnd, kind, source)
         VALUES ($1, $2, 'REFERENCE_LEVEL', $3) ON CONFLICT (effective_from) DO NOTHING
         RETURNING effective_from, amount_vnd, kind, source)
       INSERT INTO reference_level_changes (actor, action, effective_from, details)
       SELECT $4, 'reference-level.added', effective_from,
              jsonb_build_object('amountVnd', amount_vnd, 'kind', kind, 'source', source)
         FROM added`,
      [r.effectiveFrom, r.amountVnd, r.source, `migration ${this.name}`],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE reference_level_changes');
    await q.query('DROP FUNCTION lgsp_reference_level_changes_append_only()');
    await q.query(
      'ALTER TABLE funeral_allowances DROP COLUMN base_effective_from, DROP COLUMN base_kind',
    );
    await q.query('ALTER TABLE reference_levels DROP CONSTRAINT "CHK_reference_levels_kind"');
    await q.query('ALTER TABLE reference_levels DROP COLUMN source, DROP COLUMN kind');
    await q.query('ALTER INDEX reference_levels_pkey RENAME TO base_salaries_pkey');
    await q.query('ALTER TABLE reference_levels RENAME TO base_salaries');
  }
}
