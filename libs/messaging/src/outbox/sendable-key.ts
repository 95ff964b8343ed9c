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
