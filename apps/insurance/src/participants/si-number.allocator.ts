import type { DataSource } from 'typeorm';
import { reserve } from '@lgsp/persistence';

/**
 * Reserves `count` new 10-digit social-insurance numbers (the province code, then an
 * 8-digit serial) in a statement of its own on its own connection: the counter row is
 * locked for that statement only, never across the caller's batch. Numbers the caller
 * does not use are gaps; none is handed out twice.
 */
export async function reserveSiNumbers(
  dataSource: DataSource,
  provinceCode: string,
  count: number,
): Promise<string[]> {
  if (count === 0) return [];
  const [{ last_serial }] = await reserve<{ last_serial: number }>(
    dataSource,
    `INSERT INTO si_serials (province_code, last_serial) VALUES ($1, $2)
     ON CONFLICT (province_code) DO UPDATE SET last_serial = si_serials.last_serial + EXCLUDED.last_serial
     RETURNING last_serial`,
    [provinceCode, count],
  );
  const first = last_serial - count + 1;
  return Array.from(
    { length: count },
    (_, i) => `${provinceCode}${String(first + i).padStart(8, '0')}`,
  );
}
