import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { entryLine, headerLine, sealLine } from './export-format';
import type { SealRow } from './seal.entity';
import { ENTRY_COLUMNS, type EntryRow, toEntry, toSeal } from './sealing';

const SEAL_COLUMNS = `sequence, first_entry_id::text AS "firstEntryId", last_entry_id::text AS "lastEntryId",
  entry_count AS "entryCount", entry_ids::text[] AS "entryIds", leaf_hashes AS "leafHashes",
  merkle_root AS "merkleRoot", previous_seal_hash AS "previousSealHash", seal_hash AS "sealHash",
  key_id AS "keyId", signature, sealed_at AS "sealedAt"`;

/**
 * The lines of a sealed export (see export-format.ts) of the entries `where` selects, read
 * through database cursors so that memory does not grow with the export.
 *
 * The seals are chosen first: each one that covers an exported entry. No seal made later can
 * cover an entry listed below one of them (seals are made in id order, and only over entries
 * already committed), so an entry sealed while the export runs shows as not yet sealed, never
 * as slipped in.
 */
export async function* sealedExportLines(
  client: PoolClient,
  where: { sql: string; params: unknown[] },
  recordedFilter: Record<string, unknown>,
  onEntry: () => void,
): AsyncGenerator<string> {
  yield headerLine(recordedFilter);
  const covering = await client.query<{ sequence: number }>(
    `SELECT DISTINCT s.sequence FROM (SELECT id FROM log_entries WHERE ${where.sql}) e
       CROSS JOIN LATERAL (SELECT sequence, first_entry_id FROM seals
                            WHERE last_entry_id >= e.id ORDER BY last_entry_id LIMIT 1) s
      WHERE s.first_entry_id <= e.id ORDER BY 1`,
    where.params,
  );
  const sequences = covering.rows.map((r) => r.sequence);
  const seals = client.query(
    new QueryStream(
      `SELECT ${SEAL_COLUMNS} FROM seals WHERE sequence = ANY($1::int[]) ORDER BY sequence`,
      [sequences],
      { batchSize: 100 },
    ),
  );
  for await (const row of seals as AsyncIterable<SealRow>) {
    yield sealLine({ ...toSeal(row), sealedAt: row.sealedAt.toISOString() });
  }
  const entries = client.query(
    new QueryStream(
      `SELECT ${ENTRY_COLUMNS}, recorded_at FROM log_entries WHERE ${where.sql} ORDER BY log_entries.id`,
      where.params,
      { batchSize: 1000 },
    ),
  );
  for await (const row of entries as AsyncIterable<EntryRow & { recorded_at: Date }>) {
    onEntry();
    yield entryLine({ ...toEntry(row), recordedAt: row.recorded_at });
  }
}
