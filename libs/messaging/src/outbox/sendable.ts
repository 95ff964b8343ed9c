import { createHash } from 'node:crypto';

/**
 * The longest record key sent as it is. The keys the services choose are 64-character
 * subject keys; a longer one was copied from a record someone else produced (a receipt and
 * a dead letter keep the key of the record they are about).
 */
export const MAX_SENT_KEY_BYTES = 1024;

/**
 * The key a record is sent with: as written, or its SHA-256 when it is longer than
 * MAX_SENT_KEY_BYTES. kafkajs's default partitioner hashes a key in a time that grows with
 * the square of its length — seconds for 100 kB, minutes for 700 kB, the event loop blocked
 * all along — so a hostile key must not reach it. The same key always becomes the same
 * hash, so records that shared a key still share a partition.
 */
export function sendableKey(key: string | null): string | null {
  if (key === null || key.length * 3 <= MAX_SENT_KEY_BYTES) return key;
  if (Buffer.byteLength(key, 'utf8') <= MAX_SENT_KEY_BYTES) return key;
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/**
 * The most a record may weigh (key, value and headers) to be sure the broker takes it: its
 * `max.message.bytes` is 1 MiB by default, for a whole record batch with its overhead.
 */
export const MAX_RECORD_BYTES = 1_000_000;

/** How much a send of the relay carries at most; a record heavier than that goes alone. */
export const MAX_SEND_BYTES = 900_000;

/** What a record weighs on the wire, near enough: its key, its value, its headers' names and values. */
export function recordBytes(r: {
  key: string | null;
  payload: Buffer | null;
  headers: Record<string, string>;
}): number {
  let n = (r.key ? Buffer.byteLength(r.key, 'utf8') : 0) + (r.payload?.length ?? 0);
  for (const [k, v] of Object.entries(r.headers))
    n += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(String(v), 'utf8');
  return n;
}

/**
 * The longest start of `rows` that weighs at most `budget`, and never nothing: what one send
 * carries. The broker refuses a record batch over its limit, and the relay sends all the
 * records of a partition in one batch; the rest waits for the next send, in order.
 */
export function sendablePrefix<T>(
  rows: T[],
  weigh: (row: T) => number,
  budget = MAX_SEND_BYTES,
): T[] {
  let total = 0;
  let n = 0;
  while (n < rows.length) {
    total += weigh(rows[n]);
    if (n > 0 && total > budget) break;
    n++;
  }
  return rows.slice(0, n);
}

/** Headers a dead-letter copy always keeps: who refused it, why, and where it was. */
const DEAD_LETTER_HEADER = /^lgsp_dlq_/;

/**
 * A message as it can go into the outbox. A dead-letter copy carries the refused record's
 * value and headers, and may then weigh more than the broker takes in one record (a record
 * just under the limit, plus the dead-letter headers): the relay would retry it for ever and
 * send nothing after it. Such a copy goes without the record's value and own headers — the
 * consumer's dead-letter table keeps them, and replay reads them there.
 */
export function withinRecordLimit<
  M extends { key: string | null; payload: Buffer | null; headers: Record<string, string> },
>(m: M): M {
  if (!m.headers.lgsp_dlq_consumer || recordBytes(m) <= MAX_RECORD_BYTES) return m;
  const kept = Object.entries(m.headers).filter(([k]) => DEAD_LETTER_HEADER.test(k));
  return {
    ...m,
    key: sendableKey(m.key),
    payload: null,
    headers: {
      ...Object.fromEntries(kept.map(([k, v]) => [k, v.slice(0, 1000)])),
      lgsp_dlq_omitted: `value and headers (${recordBytes(m)} bytes) are in the dead-letter table`,
    },
  };
}
