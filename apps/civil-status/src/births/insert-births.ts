import type { EntityManager } from 'typeorm';
import type { Birth } from './birth.entity';

export type BirthRow = Omit<Birth, 'createdAt'>;

/** Column, its type in the record set, and where its value comes from. */
const COLUMNS: [string, string, (b: BirthRow) => unknown][] = [
  ['id', 'uuid', (b) => b.id],
  ['registered_on', 'date', (b) => b.registeredOn],
  ['registration_province_code', 'char(2)', (b) => b.registrationProvinceCode],
  ['child_full_name', 'text', (b) => b.childFullName],
  ['child_sex', 'text', (b) => b.childSex],
  ['child_date_of_birth', 'date', (b) => b.childDateOfBirth],
  ['place_of_birth', 'text', (b) => b.placeOfBirth],
  ['mother_personal_id', 'char(12)', (b) => b.motherPersonalId],
  ['mother_full_name', 'text', (b) => b.motherFullName],
  ['father_personal_id', 'char(12)', (b) => b.fatherPersonalId],
  ['father_full_name', 'text', (b) => b.fatherFullName],
  ['natural_key', 'char(64)', (b) => b.naturalKey],
  ['correlation_id', 'text', (b) => b.correlationId],
  ['event_id', 'uuid', (b) => b.eventId],
];

const NAMES = COLUMNS.map(([c]) => c).join(', ');
const TYPES = COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ');

/**
 * Inserts many births with one statement and returns the ids of those inserted. A birth
 * whose natural key another request registered meanwhile is skipped, not an error: the
 * statement waits for that request to commit, so the caller can then read its row. Rows
 * go in natural-key order, so two batches that share births wait for each other in the
 * same order and never deadlock.
 */
export async function insertBirths(tx: EntityManager, births: BirthRow[]): Promise<Set<string>> {
  if (births.length === 0) return new Set();
  const records = births.map((b) => Object.fromEntries(COLUMNS.map(([c, , get]) => [c, get(b)])));
  const inserted: { id: string }[] = await tx.query(
    `INSERT INTO births (${NAMES})
     SELECT ${NAMES} FROM jsonb_to_recordset($1::jsonb) AS r(${TYPES}) ORDER BY natural_key
     ON CONFLICT (natural_key) DO NOTHING RETURNING id`,
    [JSON.stringify(records)],
  );
  return new Set(inserted.map((r) => r.id));
}
