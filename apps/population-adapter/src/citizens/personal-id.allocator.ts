import { formatPersonalId, personalIdPrefix, type Sex } from '@lgsp/contracts';
import { PermanentError } from '@lgsp/messaging';
import type { EntityManager } from 'typeorm';

/**
 * Assigns the next personal ID for a province, sex and year of birth. The counter row is
 * locked by the upsert until the caller's transaction ends, so two registrations never
 * receive the same number.
 */
export async function allocatePersonalId(
  manager: EntityManager,
  provinceCode: string,
  sex: Sex,
  dateOfBirth: string,
): Promise<string> {
  const prefix = personalIdPrefix(provinceCode, sex, Number(dateOfBirth.slice(0, 4)));
  const rows: { last_serial: number }[] = await manager.query(
    `INSERT INTO id_serials (prefix, last_serial) VALUES ($1, 1)
     ON CONFLICT (prefix) DO UPDATE SET last_serial = id_serials.last_serial + 1
     RETURNING last_serial`,
    [prefix],
  );
  const serial = rows[0].last_serial;
  if (serial > 999_999) {
    throw new PermanentError(
      'POPULATION.ID_RANGE_EXHAUSTED',
      `no personal IDs left under prefix ${prefix}`,
    );
  }
  return formatPersonalId(prefix, serial);
}
