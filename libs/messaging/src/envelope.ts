import { RejectedMessageError } from './errors';

/** The CloudEvents 1.0 attributes the hub uses, plus the LGSP extensions. */
export interface EventEnvelope<T = unknown> {
  id: string;
  source: string;
  type: string;
  time: string;
  /** The citizen's case: one id across a whole chain (the event's own id when it opens one). */
  correlationId: string;
  /** The event that caused this one, if any. */
  causationId?: string;
  data: T;
}

export type KafkaHeaders = Record<string, string>;

const CONTENT_TYPE = 'application/json';
/** The CloudEvents attributes every record must carry; `ce_correlationid` may be left out. */
const REQUIRED = ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time'] as const;

/**
 * The case a record belongs to: its `ce_correlationid`, or else its own `ce_id`, so that a
 * plain CloudEvents producer, which knows nothing of the extension, opens a case with each
 * event. Undefined only for a record with neither.
 */
export function correlationIdOf(headers: KafkaHeaders): string | undefined {
  return headers.ce_correlationid || headers.ce_id || undefined;
}

/** CloudEvents Kafka protocol binding, binary mode: attributes as `ce_*` headers, data as the value. */
export function toKafkaHeaders(e: Omit<EventEnvelope, 'data'>): KafkaHeaders {
  const h: KafkaHeaders = {
    ce_specversion: '1.0',
    ce_id: e.id,
    ce_source: e.source,
    ce_type: e.type,
    ce_time: e.time,
    ce_correlationid: e.correlationId,
    'content-type': CONTENT_TYPE,
  };
  if (e.causationId) h.ce_causationid = e.causationId;
  return h;
}

/** Kafka header values arrive as Buffers (or arrays of them); the first value of each counts. */
export function normaliseHeaders(raw: Record<string, unknown> | undefined): KafkaHeaders {
  const out: KafkaHeaders = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    const first: unknown = Array.isArray(v) ? v[0] : v;
    if (first === undefined || first === null) continue;
    out[k] = Buffer.isBuffer(first)
      ? first.toString('utf8')
      : typeof first === 'string'
        ? first
        : JSON.stringify(first);
  }
  return out;
}

export const MAX_MESSAGE_BYTES = 1_000_000;

/** Reads the envelope of a message, refusing with a stable code whatever is missing or malformed. */
export function decodeEnvelope(headers: KafkaHeaders, value: Buffer | null): EventEnvelope {
  const missing = REQUIRED.filter((k) => !headers[k]);
  if (missing.length > 0) {
    throw new RejectedMessageError(
      'ENVELOPE.MISSING_ATTRIBUTES',
      `missing headers: ${missing.join(', ')}`,
    );
  }
  if (headers.ce_specversion !== '1.0') {
    throw new RejectedMessageError(
      'ENVELOPE.UNSUPPORTED_SPECVERSION',
      `ce_specversion ${headers.ce_specversion} is not 1.0`,
    );
  }
  const contentType = headers['content-type'] ?? '';
  if (!contentType.startsWith(CONTENT_TYPE)) {
    throw new RejectedMessageError(
      'ENVELOPE.UNSUPPORTED_CONTENT_TYPE',
      `content-type must be ${CONTENT_TYPE}`,
    );
  }
  if (Number.isNaN(Date.parse(headers.ce_time))) {
    throw new RejectedMessageError('ENVELOPE.INVALID_TIME', 'ce_time is not an RFC 3339 timestamp');
  }
  if (!value || value.length === 0) {
    throw new RejectedMessageError('ENVELOPE.EMPTY_DATA', 'the message has no data');
  }
  if (value.length > MAX_MESSAGE_BYTES) {
    throw new RejectedMessageError(
      'ENVELOPE.TOO_LARGE',
      `data is ${value.length} bytes; the limit is ${MAX_MESSAGE_BYTES}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch {
    throw new RejectedMessageError('ENVELOPE.INVALID_JSON', 'data is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new RejectedMessageError('ENVELOPE.INVALID_JSON', 'data must be a JSON object');
  }
  return {
    id: headers.ce_id,
    source: headers.ce_source,
    type: headers.ce_type,
    time: headers.ce_time,
    correlationId: correlationIdOf(headers)!, // ce_id is present: checked above
    causationId: headers.ce_causationid,
    data,
  };
}
