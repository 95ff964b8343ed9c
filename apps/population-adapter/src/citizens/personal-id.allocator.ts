import { formatPersonalId, personalIdPrefix, type Sex } from '@lgsp/contracts';
import type { DataSource } from 'typeorm';
import { reserve } from '@lgsp/persistence';

/** The largest serial under one prefix: the last six digits of a personal ID. */
const MAX_SERIAL = 999_999;

export interface Newborn {
  provinceCode: string;
  sex: Sex;
  dateOfBirth: string;
}

/**
 * Reserves personal IDs for a batch of newborns: one block of serials per ID prefix
 * (province, sex/century, year), taken in a statement of its own on its own connection, so
 * the counter row is locked for that statement only and never across the caller's batch.
 * A block the caller does not use (its transaction rolled back) is a gap in the numbering;
 * a number is never handed out twice. Prefixes are reserved in sorted order, so two
 * batches never wait on each other in a cycle. An entry is `undefined` where the prefix
 * has run out of serials.
 */
export async function reservePersonalIds(
  dataSource: DataSource,
  newborns: Newborn[],
): Promise<(string | undefined)[]> {
  const prefixes = newborns.map((n) =>
    personalIdPrefix(n.provinceCode, n.sex, Number(n.dateOfBirth.slice(0, 4))),
  );
  const counts = new Map<string, number>();
  for (const p of prefixes) counts.set(p, (counts.get(p) ?? 0) + 1);
  const sorted = [...counts.keys()].sort();
  const rows = await reserve<{ prefix: string; last_serial: number }>(
    dataSource,
    `INSERT INTO id_serials (prefix, last_serial)
     SELECT p, n FROM unnest($1::text[], $2::int[]) AS v(p, n) ORDER BY p
     ON CONFLICT (prefix) DO UPDATE SET last_serial = id_serials.last_serial + EXCLUDED.last_serial
     RETURNING prefix, last_serial`,
    [sorted, sorted.map((p) => counts.get(p))],
  );
  const next = new Map(rows.map((r) => [r.prefix, r.last_serial - counts.get(r.prefix)! + 1]));
  return prefixes.map((p) => {
    const serial = next.get(p)!;
    next.set(p, serial + 1);
    return serial <= MAX_SERIAL ? formatPersonalId(p, serial) : undefined;
  });
}
