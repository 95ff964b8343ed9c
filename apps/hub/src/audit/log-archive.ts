import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { PoolClient } from 'pg';
import { PARTITIONS_LOCK } from '../exchange-log/past-month-partitions';
import { sealedExportLines } from './sealed-export';
import type { SealKeyring } from './seal-signature';
import { fileLines, verifyArchive } from './verify-archive';

/** Lock id: one archive run at a time (the leader's, or `hubctl audit archive`). */
const ARCHIVE_LOCK = 724_155_005;

export interface MonthPartition {
  name: string;
  /** `YYYY-MM` */
  month: string;
  from: Date;
  to: Date;
}

export type MonthArchived =
  | { month: string; file: string; sha256: string; entries: number; seals: number }
  | { month: string; skipped: string };

/** Where an archive's public keys are written: beside it, as for a sealed export. */
export const archivePublicKeysFile = (file: string) => `${file}.public-keys.pem`;

/** Monthly partitions of the log that end at or before `before` (never the current month). */
export async function partitionsBefore(
  client: PoolClient,
  before: Date,
): Promise<MonthPartition[]> {
  const bound = (edge: string) =>
    `substring(pg_get_expr(c.relpartbound, c.oid) FROM '${edge} \\(''([^'']+)''\\)')::timestamptz`;
  const { rows } = await client.query<{ name: string; from: Date; to: Date }>(
    `SELECT name, "from", "to" FROM (
       SELECT c.relname::text AS name, ${bound('FROM')} AS "from", ${bound('TO')} AS "to"
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'log_entries'::regclass) p
      WHERE "to" <= LEAST($1::timestamptz, date_trunc('month', now())) ORDER BY "from"`,
    [before.toISOString()],
  );
  return rows.map((r) => ({ ...r, month: r.name.slice(-7).replace('_', '-') }));
}

/**
 * Archives every monthly partition of the log that ends by `before`, oldest first, one at a
 * time (see archiveMonth). Returns what became of each; a run already under way elsewhere
 * makes this one do nothing.
 */
export async function archiveBefore(
  client: PoolClient,
  before: Date,
  dir: string,
  keyring: SealKeyring,
): Promise<MonthArchived[]> {
  const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
    ARCHIVE_LOCK,
  ]);
  if (!rows[0].ok) return [];
  try {
    const done: MonthArchived[] = [];
    for (const p of await partitionsBefore(client, before)) {
      done.push(await archiveMonth(client, p, dir, keyring));
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ARCHIVE_LOCK]);
  }
}

/**
 * One month: its entries and every seal that covers one of them, as a sealed export, gzipped,
 * with the public keys beside it; read back and verified with those keys alone; then, in one
 * transaction that keeps writers out, the partition is found unchanged (the same ids), the
 * archive recorded (its ids, so that verifying the live log counts them as archived) and the
 * partition detached and dropped. Whatever fails before that leaves the partition in place.
 */
export async function archiveMonth(
  client: PoolClient,
  p: MonthPartition,
  dir: string,
  keyring: SealKeyring,
): Promise<MonthArchived> {
  const table = `"${p.name}"`;
  const unsealed = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table}
      WHERE id > (SELECT COALESCE(max(last_entry_id), 0) FROM seals)`,
  );
  if (Number(unsealed.rows[0].n) > 0)
    return { month: p.month, skipped: `${unsealed.rows[0].n} entries not sealed yet` };
  const before = await idsOf(client, table);
  mkdirSync(dir, { recursive: true });
  const file = freeName(resolve(dir), p.month);
  const where = { sql: 'occurred_at >= $1 AND occurred_at < $2', params: [p.from, p.to] };
  const filter = { archive: p.month, from: p.from.toISOString(), to: p.to.toISOString() };
  const sha256 = await writeGzipped(
    file,
    sealedExportLines(client, where, filter, () => {}),
  );
  writeFileSync(archivePublicKeysFile(file), keyring.toPem());
  const discard = () => {
    rmSync(file, { force: true });
    rmSync(archivePublicKeysFile(file), { force: true });
  };
  const check = await verifyArchive(fileLines(file), keyring);
  if (!check.ok || check.checkedEntries !== before.count) {
    discard();
    const problem = check.firstProblem?.kind ?? (check.ok ? 'entries changed' : 'not verified');
    throw new Error(`the archive of ${p.month} did not verify (${problem}); nothing was dropped`);
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITIONS_LOCK]);
    await client.query('LOCK TABLE log_entries IN SHARE ROW EXCLUSIVE MODE');
    const now = await idsOf(client, table);
    if (now.count !== before.count || now.ranges !== before.ranges)
      throw new Error(`entries of ${p.month} were written while it was archived; will retry`);
    await client.query(
      `INSERT INTO log_archives (month, file, sha256, entry_count, seal_count, entry_ids)
       VALUES ($1, $2, $3, $4, $5, $6::int8multirange)`,
      [p.from, file, sha256, before.count, check.seals, before.ranges],
    );
    await client.query(`ALTER TABLE log_entries DETACH PARTITION ${table}`);
    await client.query(`DROP TABLE ${table}`);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    discard();
    throw e;
  }
  return { month: p.month, file, sha256, entries: before.count, seals: check.seals };
}

async function idsOf(
  client: PoolClient,
  table: string,
): Promise<{ count: number; ranges: string }> {
  const { rows } = await client.query<{ n: string; ranges: string | null }>(
    `SELECT count(*) AS n, range_agg(int8range(id, id, '[]'))::text AS ranges FROM ${table}`,
  );
  return { count: Number(rows[0].n), ranges: rows[0].ranges ?? '{}' };
}

/** log-YYYY-MM.ndjson.gz, or -2, -3 … when a month was archived before (and written to again). */
function freeName(dir: string, month: string): string {
  for (let i = 1; ; i++) {
    const file = join(dir, `log-${month}${i === 1 ? '' : `-${i}`}.ndjson.gz`);
    if (!existsSync(file)) return file;
  }
}

/** Gzips the lines into the file (through a temporary name); returns the file's SHA-256. */
async function writeGzipped(file: string, lines: AsyncIterable<string>): Promise<string> {
  const hash = createHash('sha256');
  const partial = `${file}.partial`;
  await pipeline(
    Readable.from(lines),
    createGzip(),
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    }),
    createWriteStream(partial),
  );
  renameSync(partial, file);
  return hash.digest('hex');
}
