import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { SealKeyring } from './seal-signature';
import { type ExportVerification, verifySealedExport } from './verify-export';

export interface ArchiveVerification extends ExportVerification {
  /** The month the archive holds (`YYYY-MM`), from its header. */
  month?: string;
  /** The first entry whose time lies outside the archive's month, and its line. */
  outsideMonth?: { entryId: string; line: number };
}

/** The lines of a file, gunzipped when it starts with gzip's magic bytes. */
export async function* fileLines(file: string): AsyncGenerator<string> {
  const magic = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, magic, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  const raw = createReadStream(file);
  let source: AsyncIterable<Buffer> = raw;
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    source = raw.pipe(gunzip);
  }
  let rest = '';
  for await (const chunk of source) {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest !== '') yield rest;
}

/**
 * Checks an archive of one month of the log (log-archive.ts): a sealed export, gzipped, whose
 * header names the month. Everything verifySealedExport checks — each seal's hash and
 * signature, the chain where seals are consecutive, each entry against its leaf hash, naming
 * the first altered entry and its line — and besides: every entry lies in the month, and every
 * entry is sealed (a month is archived only once sealed).
 */
export async function verifyArchive(
  lines: AsyncIterable<string> | Iterable<string>,
  keyring: SealKeyring,
  options: { signedFrom?: number } = {},
): Promise<ArchiveVerification> {
  let month: { name: string; from: number; to: number } | undefined;
  let outsideMonth: ArchiveVerification['outsideMonth'];
  let n = 0;
  async function* watched(): AsyncGenerator<string> {
    for await (const text of lines) {
      n += 1;
      if (n === 1) month = monthOf(text);
      else if (!outsideMonth && month && text.startsWith('{"entry"')) {
        const entry = (JSON.parse(text) as { entry: { id: string; occurredAt: string } }).entry;
        const at = Date.parse(entry.occurredAt);
        if (!(at >= month.from && at < month.to)) outsideMonth = { entryId: entry.id, line: n };
      }
      yield text;
    }
  }
  const result = await verifySealedExport(watched(), keyring, options);
  return {
    ...result,
    ok: result.ok && !outsideMonth && result.uncheckedEntries === 0,
    month: month?.name,
    ...(outsideMonth && { outsideMonth }),
  };
}

function monthOf(header: string): { name: string; from: number; to: number } {
  let filter: Record<string, unknown> | undefined;
  try {
    filter = (JSON.parse(header) as { filter?: Record<string, unknown> }).filter;
  } catch {
    throw new Error('line 1: not JSON');
  }
  const { archive, from, to } = filter ?? {};
  if (typeof archive !== 'string' || typeof from !== 'string' || typeof to !== 'string') {
    throw new Error('line 1: not an archive of the log (no month in its header); use --export');
  }
  return { name: archive, from: Date.parse(from), to: Date.parse(to) };
}
