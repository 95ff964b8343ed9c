import { createHash } from 'node:crypto';

/**
 * The fields of one `log_entries` row that a seal covers. `recorded_at` is left out: the
 * database clock sets it, so it says nothing about what was exchanged. `id` is in, so a row
 * deleted, or slipped in between two others, is caught.
 */
export interface SealableEntry {
  id: string;
  recordId: string;
  kind: string;
  eventId: string;
  eventType: string | null;
  serviceCode: string | null;
  provider: string | null;
  consumer: string | null;
  status: string | null;
  errorCode: string | null;
  reason: string | null;
  subjectHash: string | null;
  correlationId: string | null;
  payloadSha256: string | null;
  outcome: string | null;
  occurredAt: Date;
  topic: string;
  kafkaPartition: number;
  kafkaOffset: string;
}

/** A batch of consecutive log entries, sealed by the Merkle root of their hashes and chained. */
export interface Seal {
  /** 1 for the first seal, then one more each time. */
  sequence: number;
  firstEntryId: string;
  lastEntryId: string;
  entryCount: number;
  /** The sealed ids in ascending order; sealHash covers them, so they name what is missing. */
  entryIds: string[];
  /** entryHash of each sealed entry, in entryIds order; merkleRoot covers them. */
  leafHashes: string[];
  merkleRoot: string;
  previousSealHash: string;
  sealHash: string;
  /** Id of the key that signed sealHash (see seal-signature.ts); absent on a seal never signed. */
  keyId?: string;
  /** Base64 Ed25519 signature of sealHash; absent on seals made before signing existed. */
  signature?: string;
}

/** What sealHash covers: the seal without its own hash and leaf list (merkleRoot covers that). */
export type SealHeader = Omit<Seal, 'leafHashes' | 'sealHash' | 'keyId' | 'signature'>;

/** The previousSealHash of the first seal: 64 zeros, which no SHA-256 output is known to be. */
export const GENESIS_SEAL_HASH = '0'.repeat(64);

// Every preimage starts with a byte of its own, so an entry, a tree node and a seal can never
// hash the same bytes (RFC 6962 §2.1 separates leaves, 0x00, from nodes, 0x01, the same way).
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);
const SEAL = Buffer.from([0x02]);

/**
 * Root of an empty tree: SHA-256 of the ASCII text `lgsp-merkle-empty-v1` (its first byte, 'l',
 * is none of the prefixes above). buildSeal never seals nothing; this only keeps merkleRoot total.
 */
export const EMPTY_MERKLE_ROOT = sha256(Buffer.from('lgsp-merkle-empty-v1', 'ascii'));

/**
 * SHA-256 of the entry's fields as JSON of a fixed-order array, after the LEAF byte. JSON quotes
 * and escapes every string and keeps null apart from "null" and "", so no two entries write the
 * same text; a field order of our own makes the object's key order irrelevant. The first
 * element is a version tag, so a later format can never be read as this one.
 */
export function entryHash(e: SealableEntry): string {
  if (!Number.isSafeInteger(e.kafkaPartition)) {
    // JSON would write NaN or Infinity as null: refuse rather than hash something ambiguous.
    throw new Error(`entry ${e.id}: kafkaPartition ${e.kafkaPartition} is not an integer`);
  }
  const fields = [
    'lgsp-log-entry-v1',
    e.id,
    e.recordId,
    e.kind,
    e.eventId,
    e.eventType,
    e.serviceCode,
    e.provider,
    e.consumer,
    e.status,
    e.errorCode,
    e.reason,
    e.subjectHash,
    e.correlationId,
    e.payloadSha256,
    e.outcome,
    // Milliseconds, as a JS Date holds them; throws on an invalid date rather than hashing it.
    e.occurredAt.toISOString(),
    e.topic,
    e.kafkaPartition,
    e.kafkaOffset,
  ];
  return sha256(LEAF, Buffer.from(JSON.stringify(fields), 'utf8'));
}

/**
 * Root of the binary Merkle tree over the leaves, in order: each node is SHA-256(0x01 ‖ left ‖
 * right) over the raw 32-byte digests. An odd node at the end of a level goes up unchanged, which
 * gives the same root as RFC 6962's tree. Pairing it with a copy of itself instead (Bitcoin's way)
 * would give [a, b, c] and [a, b, c, c] the same root (CVE-2012-2459).
 */
export function merkleRoot(leafHashes: readonly string[]): string {
  if (leafHashes.length === 0) return EMPTY_MERKLE_ROOT;
  let level = leafHashes.map(digestBytes);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      next.push(
        createHash('sha256')
          .update(NODE)
          .update(level[i])
          .update(level[i + 1])
          .digest(),
      );
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0].toString('hex');
}

/** The chained hash of a seal: SHA-256 of 0x02 and JSON of a fixed-order, tagged array. */
export function sealHash(seal: SealHeader): string {
  const fields = [
    'lgsp-seal-v1',
    seal.sequence,
    seal.firstEntryId,
    seal.lastEntryId,
    seal.entryCount,
    seal.entryIds,
    seal.merkleRoot,
    seal.previousSealHash,
  ];
  return sha256(SEAL, Buffer.from(JSON.stringify(fields), 'utf8'));
}

/**
 * Seals the entries (in any order) as the seal after `previous`. Throws when there are none, when
 * an id repeats, or when one is not above the previous seal's last id: seals never overlap.
 */
export function buildSeal(previous: Seal | undefined, entries: readonly SealableEntry[]): Seal {
  if (entries.length === 0) throw new Error('buildSeal: there are no entries to seal');
  const sorted = [...entries].sort((a, b) => compareIds(a.id, b.id));
  const entryIds = sorted.map((e) => e.id);
  const after = previous?.lastEntryId;
  entryIds.forEach((id, i) => {
    const before = i > 0 ? entryIds[i - 1] : after;
    if (before !== undefined && compareIds(before, id) >= 0) {
      throw new Error(`buildSeal: entry ${id} is not above ${before}`);
    }
  });
  const leafHashes = sorted.map(entryHash);
  const header: SealHeader = {
    sequence: previous ? previous.sequence + 1 : 1,
    firstEntryId: entryIds[0],
    lastEntryId: entryIds[entryIds.length - 1],
    entryCount: entryIds.length,
    entryIds,
    merkleRoot: merkleRoot(leafHashes),
    previousSealHash: previous ? previous.sealHash : GENESIS_SEAL_HASH,
  };
  return { ...header, leafHashes, sealHash: sealHash(header) };
}

/** A bigserial id as Postgres writes it: digits, no sign, no leading zero. */
export function isEntryId(id: unknown): id is string {
  return typeof id === 'string' && /^(0|[1-9][0-9]*)$/.test(id);
}

/** A SHA-256 digest as this module writes it: 64 lowercase hex digits. */
export function isDigest(hash: unknown): hash is string {
  return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash);
}

/** Orders bigint ids by value: as strings, '10' would sort before '9'. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function digestBytes(hash: string): Buffer {
  // Buffer.from(…, 'hex') silently drops what is not hex: check first, or garbage would hash.
  if (!isDigest(hash)) throw new Error(`not a SHA-256 hex digest: ${JSON.stringify(hash)}`);
  return Buffer.from(hash, 'hex');
}

function sha256(...parts: Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
