import { isDigest, isEntryId, type Seal, type SealableEntry } from './merkle';

/**
 * A sealed export is NDJSON: a header line, then every seal that covers an exported entry
 * (in sequence order), then the entries (in id order), each with every field its seal hashes.
 * With the hub's public key alone it can be checked anywhere: see verify-export.ts.
 */
export const SEALED_EXPORT_FORMAT = 'lgsp-sealed-export-v1';

export interface ExportHeader {
  format: typeof SEALED_EXPORT_FORMAT;
  exportedAt: string;
  /** The filter as the audit trail records it (a citizen only as the subject hash). */
  filter: Record<string, unknown>;
}

export type ExportedSeal = Seal & { sealedAt: string };
export type ExportedEntry = Omit<SealableEntry, 'occurredAt'> & {
  occurredAt: string;
  recordedAt?: string;
};

export const headerLine = (filter: Record<string, unknown>): string =>
  `${JSON.stringify({ format: SEALED_EXPORT_FORMAT, exportedAt: new Date().toISOString(), filter })}\n`;

export const sealLine = (seal: ExportedSeal): string => `${JSON.stringify({ seal })}\n`;

export const entryLine = (entry: SealableEntry & { recordedAt?: Date }): string =>
  `${JSON.stringify({
    entry: {
      ...entry,
      occurredAt: entry.occurredAt.toISOString(),
      recordedAt: entry.recordedAt?.toISOString(),
    },
  })}\n`;

const STRING_FIELDS = ['recordId', 'kind', 'eventId', 'topic', 'kafkaOffset'] as const;
const NULLABLE_FIELDS = [
  'eventType',
  'serviceCode',
  'provider',
  'consumer',
  'status',
  'errorCode',
  'reason',
  'subjectHash',
  'correlationId',
  'payloadSha256',
  'outcome',
] as const;

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The entry of an `entry` line, or undefined when a field is missing or of the wrong type: such
 * an entry cannot be what was sealed (it is reported as altered when its id can be read).
 */
export function entryOf(raw: Record<string, unknown>): SealableEntry | undefined {
  const occurredAt = typeof raw.occurredAt === 'string' ? new Date(raw.occurredAt) : undefined;
  const ok =
    isEntryId(raw.id) &&
    STRING_FIELDS.every((f) => typeof raw[f] === 'string') &&
    NULLABLE_FIELDS.every((f) => raw[f] === null || typeof raw[f] === 'string') &&
    Number.isSafeInteger(raw.kafkaPartition) &&
    occurredAt !== undefined &&
    !Number.isNaN(occurredAt.getTime());
  if (!ok) return undefined;
  const entry = { id: raw.id, occurredAt, kafkaPartition: raw.kafkaPartition } as SealableEntry;
  for (const f of [...STRING_FIELDS, ...NULLABLE_FIELDS]) (entry[f] as unknown) = raw[f];
  return entry;
}

/** The seal of a `seal` line; throws when it is not shaped like one (a malformed export). */
export function sealOf(raw: unknown): Seal {
  if (!isRecord(raw)) throw new Error('a seal line holds no seal object');
  const strings = ['merkleRoot', 'previousSealHash', 'sealHash'];
  const ok =
    Number.isSafeInteger(raw.sequence) &&
    isEntryId(raw.firstEntryId) &&
    isEntryId(raw.lastEntryId) &&
    Number.isSafeInteger(raw.entryCount) &&
    strings.every((f) => typeof raw[f] === 'string') &&
    Array.isArray(raw.entryIds) &&
    raw.entryIds.every(isEntryId) &&
    Array.isArray(raw.leafHashes) &&
    raw.leafHashes.every(isDigest) &&
    ['keyId', 'signature'].every((f) => raw[f] === undefined || typeof raw[f] === 'string');
  if (!ok) throw new Error('a seal line is missing fields or has fields of the wrong type');
  return {
    sequence: raw.sequence as number,
    firstEntryId: raw.firstEntryId as string,
    lastEntryId: raw.lastEntryId as string,
    entryCount: raw.entryCount as number,
    entryIds: raw.entryIds as string[],
    leafHashes: raw.leafHashes as string[],
    merkleRoot: raw.merkleRoot as string,
    previousSealHash: raw.previousSealHash as string,
    sealHash: raw.sealHash as string,
    ...(raw.keyId !== undefined && { keyId: raw.keyId as string }),
    ...(raw.signature !== undefined && { signature: raw.signature as string }),
  };
}
