import type { EntityManager } from 'typeorm';

/** A new 10-digit social-insurance number: the province code, then an 8-digit serial. */
export async function allocateSiNumber(
  manager: EntityManager,
  provinceCode: string,
): Promise<string> {
  const [{ last_serial }]: { last_serial: number }[] = await manager.query(
    `INSERT INTO si_serials (province_code, last_serial) VALUES ($1, 1)
     ON CONFLICT (province_code) DO UPDATE SET last_serial = si_serials.last_serial + 1
     RETURNING last_serial`,
    [provinceCode],
  );
  return `${provinceCode}${String(last_serial).padStart(8, '0')}`;
}
