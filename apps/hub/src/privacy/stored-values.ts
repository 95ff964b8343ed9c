import { subjectKeyOf } from '@lgsp/messaging';
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Nine digits or more: an old identity-card number, a 12-digit personal ID, or longer. */
const DIGIT_RUN = /[0-9]{9}/;
const DIGIT_RUNS = /[0-9]{9,}/g;
// PostgreSQL text cannot hold NUL; a value carrying one would fail the whole batch.
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;
const ERROR_CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$/;
const ERROR_CODE_MAX = 100;
/** Keeps a derived id apart from a subject hash of the same text. */
const ID_DOMAIN = 'lgsp-id\u0000';

export const REDACTED = '[redacted]';
/** What the hub stores for an error code that does not have the shape of one. */
export const UNREADABLE_ERROR_CODE = 'HUB.UNREADABLE_ERROR_CODE';

/**
 * What the hub stores of the values a producer sends it, so that no raw ID number a
 * producer puts in a key, a header or a message reaches its database, logs or metrics.
 * - The subject hash is computed by the hub: HMAC-SHA256 under `SUBJECT_HASH_KEY` of the
 *   subject the contract table names (or of the record key when the record cannot be read),
 *   the same function an auditor's search by ID number is hashed with.
 * - An event id or correlation id is kept when it is a UUID; anything else becomes the UUID
 *   derived from its keyed hash — the same value every time, so a case still holds together.
 * - Free text (reasons, error messages) loses every run of nine digits or more.
 */
export class StoredValues {
  readonly subjectHash: (subject: string) => string;
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.subjectHash = subjectKeyOf(secret);
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** An event id or correlation id as stored: a UUID as given, anything else derived. */
  id(value: string): string {
    return UUID.test(value) ? value : this.derivedId(value);
  }

  /**
   * A correlation id the hub passes on in an event it publishes for a caller: as given,
   * unless it holds a run of nine digits or more outside a UUID; then its derived id.
   */
  carriedId(value: string): string {
    return UUID.test(value) || !DIGIT_RUN.test(value) ? value : this.derivedId(value);
  }

  /**
   * What a search by id looks for: the id as stored now and, for one that is not a UUID,
   * as given too (entries logged before the hub derived ids keep the producer's).
   */
  searchedIds(value: string): string[] {
    const stored = this.id(value);
    return stored === value ? [value] : [stored, value];
  }

  /** A UUID (version 8, RFC 9562) made of the keyed hash of `value`. */
  private derivedId(value: string): string {
    const d = createHmac('sha256', this.key).update(ID_DOMAIN).update(value, 'utf8').digest();
    d[6] = (d[6] & 0x0f) | 0x80;
    d[8] = (d[8] & 0x3f) | 0x80;
    const h = d.toString('hex', 0, 16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

/**
 * Half a surrogate pair: JSON carries it as an escape, which PostgreSQL's jsonb refuses, so a
 * reason quoting a field name like it would fail its whole batch.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Free text as stored and logged: runs of nine digits or more, and NULs, taken out; half
 * surrogate pairs replaced by U+FFFD.
 */
export function scrubbed(text: string): string {
  const whole = text.replace(LONE_SURROGATE, '\uFFFD');
  if (!DIGIT_RUN.test(whole) && !whole.includes('\u0000')) return whole;
  return whole.replace(NUL, '').replace(DIGIT_RUNS, REDACTED);
}

/** An error code as stored: one with the shape of a code (`AREA.NAME`), else a fixed one. */
export function storedErrorCode(code: string): string {
  return code.length <= ERROR_CODE_MAX && ERROR_CODE.test(code) && !DIGIT_RUN.test(code)
    ? code
    : UNREADABLE_ERROR_CODE;
}
