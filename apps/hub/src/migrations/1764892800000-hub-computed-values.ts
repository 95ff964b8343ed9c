import type { MigrationInterface, QueryRunner } from 'typeorm';

const HASH = `'^[0-9a-f]{64}$'`;
const CODE = String.raw`'^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$'`;
const DIGITS = `'[0-9]{9}'`;
const NOT_A_CODE = `(error_code !~ ${CODE} OR length(error_code) > 100 OR error_code ~ ${DIGITS})`;

/**
 * From here on the hub stores only values it computed (decision 0010). The transactions
 * projection is brought in line where that can be done without the producers' values:
 * a subject hash that is not a hash goes, reasons lose their runs of nine digits or more,
 * and an error code without the shape of one is replaced — as the hub now writes them.
 * Sealed log entries are left as they are (changing them would break their seals), and so
 * are ids and correlation ids that are not UUIDs (deriving them needs the key); see
 * docs/exchange-log.md.
 */
export class HubComputedValues1764892800000 implements MigrationInterface {
  name = 'HubComputedValues1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE transactions
         SET subject_hash = CASE WHEN subject_hash ~ ${HASH} THEN subject_hash END,
             reason = regexp_replace(reason, '[0-9]{9,}', '[redacted]', 'g'),
             error_code = CASE WHEN ${NOT_A_CODE} THEN 'HUB.UNREADABLE_ERROR_CODE' ELSE error_code END
       WHERE subject_hash !~ ${HASH} OR reason ~ ${DIGITS} OR ${NOT_A_CODE}`);
  }

  async down(): Promise<void> {
    // What was taken out cannot be put back, and nothing needs to be: the values kept are valid either way.
  }
}
