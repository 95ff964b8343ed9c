import {
  describeFieldErrors,
  type EventTypeDef,
  eventTypeKey,
  findEventTypeByCeType,
  RECEIPT,
  type ReceiptV1,
  REJECTION,
  type RejectionV1,
  REPLAY_REQUESTED,
  systemOfSource,
  validatePayload,
} from '@lgsp/contracts';
import {
  correlationIdOf,
  decodeEnvelope,
  type EventEnvelope,
  type InboundMessage,
  RejectedMessageError,
} from '@lgsp/messaging';
import { createHash } from 'node:crypto';
import type { Route } from '../catalogue/catalogue.service';
import { scrubbed, storedErrorCode, type StoredValues } from '../privacy/stored-values';
import { boundedByAppendTime } from './clock-skew';

/** A log entry before it is written; `occurredAt` and the Kafka position always present. */
export interface NewLogEntry {
  /** The record's own id: its `ce_id`, or its position when it could not be read. */
  recordId: string;
  kind: 'PUBLISHED' | 'RECEIPT' | 'REJECTED';
  /** The event the entry is about (for a receipt, the event it reports on). */
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
  /** For identity checks: MATCH, MISMATCH or NOT_FOUND. */
  outcome?: string | null;
  occurredAt: Date;
  topic: string;
  kafkaPartition: number;
  kafkaOffset: string;
  /** For receipts: when the consumer received the event and its attempts. */
  receipt?: { receivedAt: Date; attempts: number };
  /**
   * Set when the record's own time ran ahead of the broker's append time: by how many ms.
   * `occurredAt` (and a receipt's `receivedAt`) are then taken back to the broker's clock.
   */
  clockSkewMs?: number;
}

/** The consumer name under which the hub records what it refused itself. */
export const HUB_CONSUMER = 'hub';

type Base = Omit<NewLogEntry, 'kind' | 'eventId' | 'occurredAt' | 'recordId'>;
type At = Base & { recordId: string; eventId: string; eventType: string; occurredAt: Date };

/**
 * Turns one Kafka record into a log entry. The payload's content is never kept, only its
 * SHA-256. A record that cannot be read, that comes from a system not granted its type,
 * or a receipt sent in another consumer's name, becomes a REJECTED entry saying why.
 * Its time is its own (`ce_time`; a receipt's completion), unless that is later than the
 * broker appended it: a clock running ahead must not make a latency negative.
 *
 * Nothing the producer sent is kept as it came if it could carry an ID number: the subject
 * hash is the hub's own (of the subject the contract table names; a receipt takes its
 * event's, see RecordExchangeUseCase), ids that are not UUIDs are derived, and reasons
 * are scrubbed (see StoredValues). The record key and `ce_subject` are never stored.
 */
export function toLogEntry(
  m: InboundMessage,
  routes: Map<string, Route>,
  values: StoredValues,
): NewLogEntry {
  return boundedByAppendTime(readEntry(m, routes, values), m.timestamp);
}

function readEntry(
  m: InboundMessage,
  routes: Map<string, Route>,
  values: StoredValues,
): NewLogEntry {
  // Derived like every id the hub stores (a ce_id standing in for it may be anything).
  const correlationId = correlationIdOf(m.headers);
  const base: Base = {
    topic: m.topic,
    kafkaPartition: m.partition,
    kafkaOffset: m.offset,
    payloadSha256: m.value ? createHash('sha256').update(m.value).digest('hex') : null,
    subjectHash: null,
    eventType: null,
    serviceCode: null,
    provider: m.headers.ce_source ? (systemOfSource(m.headers.ce_source) ?? null) : null,
    consumer: null,
    status: null,
    errorCode: null,
    reason: null,
    correlationId: correlationId ? values.id(correlationId) : null,
  };
  /** The hash of the subject the contract names, once the payload is known to keep it. */
  let subjectHash: string | null = null;
  try {
    const envelope = decodeEnvelope(m.headers, m.value);
    const def = findEventTypeByCeType(envelope.type);
    if (!def)
      throw new RejectedMessageError(
        'CONTRACT.UNKNOWN_EVENT_TYPE',
        `unknown event type ${envelope.type}`,
      );
    const payload = validPayload(def, envelope);
    const id = values.id(envelope.id);
    const at: At = {
      ...base,
      recordId: id,
      eventId: id,
      eventType: eventTypeKey(def),
      occurredAt: new Date(envelope.time),
    };
    if (def === RECEIPT) return receiptEntry(at, payload as ReceiptV1, routes, values);
    if (def === REJECTION) return rejectionEntry(at, payload as RejectionV1, routes, values);
    subjectHash = values.subjectHash(def.subjectOf(payload));
    at.subjectHash = subjectHash;
    if (def === REPLAY_REQUESTED) return hubCommandEntry(at);
    const route = routes.get(at.eventType);
    if (!route || route.provider !== at.provider) {
      throw new RejectedMessageError(
        'HUB.UNAUTHORISED_PUBLISHER',
        `${at.provider ?? envelope.source} is not the provider of ${at.eventType} in the catalogue`,
      );
    }
    const outcome = (payload as { result?: string }).result ?? null; // identity checks only
    return { ...at, kind: 'PUBLISHED', serviceCode: route.service, status: 'PUBLISHED', outcome };
  } catch (e) {
    if (!(e instanceof RejectedMessageError)) throw e;
    const type = m.headers.ce_type ? findEventTypeByCeType(m.headers.ce_type) : undefined;
    const eventType = type ? eventTypeKey(type) : null;
    const position = `${m.topic}/${m.partition}/${m.offset}`;
    return {
      ...base,
      recordId: position,
      kind: 'REJECTED',
      // As a consumer's receipt about the same record names it (its ce_id, else its position).
      eventId: values.id(m.headers.ce_id || position),
      eventType,
      serviceCode: (eventType && routes.get(eventType)?.service) ?? null,
      consumer: HUB_CONSUMER,
      status: 'REJECTED',
      // Without a payload that keeps its contract, the subject is whatever the key stands for.
      subjectHash: subjectHash ?? (m.key ? values.subjectHash(m.key) : null),
      errorCode: e.code,
      reason: scrubbed(e.message),
      occurredAt: new Date(Number(m.timestamp)),
    };
  }
}

function validPayload(def: EventTypeDef, envelope: EventEnvelope): object {
  const { payload, errors } = validatePayload(def, envelope.data);
  if (errors.length > 0)
    throw new RejectedMessageError('CONTRACT.INVALID_PAYLOAD', describeFieldErrors(errors));
  return payload;
}

/** A receipt's subject is its event's: filled in from the hub's own record of the event. */
function receiptEntry(
  at: At,
  r: ReceiptV1,
  routes: Map<string, Route>,
  values: StoredValues,
): NewLogEntry {
  if (r.consumer !== at.provider) {
    throw new RejectedMessageError(
      'HUB.FORGED_RECEIPT',
      `${at.provider} sent a receipt in the name of ${r.consumer}`,
    );
  }
  const subject = r.eventType ? findEventTypeByCeType(r.eventType) : undefined;
  const eventType = subject ? eventTypeKey(subject) : null;
  const route = eventType ? routes.get(eventType) : undefined;
  return {
    ...at,
    kind: 'RECEIPT',
    eventId: values.id(r.eventId),
    eventType,
    serviceCode: route?.service ?? null,
    provider: route?.provider ?? null,
    consumer: r.consumer,
    status: r.status,
    errorCode: r.errorCode === undefined ? null : storedErrorCode(r.errorCode),
    reason: r.reason === undefined ? null : scrubbed(r.reason),
    occurredAt: new Date(r.completedAt),
    receipt: { receivedAt: new Date(r.receivedAt), attempts: r.attempts },
  };
}

/** The hub's own record of a refusal at its HTTP door. */
function rejectionEntry(
  at: At,
  r: RejectionV1,
  routes: Map<string, Route>,
  values: StoredValues,
): NewLogEntry {
  if (at.provider !== HUB_CONSUMER) {
    throw new RejectedMessageError(
      'HUB.UNAUTHORISED_PUBLISHER',
      `only the hub publishes rejections, not ${at.provider}`,
    );
  }
  const route = r.eventType ? routes.get(r.eventType) : undefined;
  return {
    ...at,
    kind: 'REJECTED',
    eventId: values.id(r.eventId),
    eventType: route ? (r.eventType ?? null) : null,
    serviceCode: route?.service ?? null,
    provider: r.provider ?? null,
    consumer: HUB_CONSUMER,
    status: 'REJECTED',
    errorCode: storedErrorCode(r.errorCode),
    reason: scrubbed(r.reason),
    payloadSha256: r.payloadSha256 ?? null,
    subjectHash: null, // the refused payload is not read, so its subject is unknown
    occurredAt: new Date(r.receivedAt),
  };
}

/** A command the hub sent (a replay request): logged, but it opens no delivery. */
function hubCommandEntry(at: At): NewLogEntry {
  if (at.provider !== HUB_CONSUMER) {
    throw new RejectedMessageError(
      'HUB.UNAUTHORISED_PUBLISHER',
      `only the hub sends ${at.eventType}, not ${at.provider}`,
    );
  }
  return { ...at, kind: 'PUBLISHED', status: 'PUBLISHED' };
}
