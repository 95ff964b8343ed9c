import {
  describeFieldErrors,
  eventTypeKey,
  findEventTypeByCeType,
  RECEIPT,
  type ReceiptV1,
  systemOfSource,
  validatePayload,
} from '@lgsp/contracts';
import { decodeEnvelope, type InboundMessage, RejectedMessageError } from '@lgsp/messaging';
import { createHash } from 'node:crypto';
import type { Route } from '../catalogue/catalogue.service';

/** A log entry before it is written; `occurredAt` and the Kafka position always present. */
export interface NewLogEntry {
  kind: 'PUBLISHED' | 'RECEIPT' | 'REJECTED';
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
  occurredAt: Date;
  topic: string;
  kafkaPartition: number;
  kafkaOffset: string;
  /** For receipts: when the consumer received the event and its attempts. */
  receipt?: { receivedAt: Date; attempts: number };
}

const RECEIPT_TYPE = eventTypeKey(RECEIPT);

/**
 * Turns one Kafka record into a log entry. The payload's content is never kept, only
 * its SHA-256; a record that cannot be read becomes a REJECTED entry naming why.
 */
export function toLogEntry(m: InboundMessage, routes: Map<string, Route>): NewLogEntry {
  const position = { topic: m.topic, kafkaPartition: m.partition, kafkaOffset: m.offset };
  const payloadSha256 = m.value ? createHash('sha256').update(m.value).digest('hex') : null;
  const base = {
    ...position,
    payloadSha256,
    subjectHash: m.key,
    eventType: null,
    serviceCode: null,
    provider: m.headers.ce_source ? (systemOfSource(m.headers.ce_source) ?? null) : null,
    consumer: null,
    status: null,
    errorCode: null,
    reason: null,
  };
  try {
    const envelope = decodeEnvelope(m.headers, m.value);
    const def = findEventTypeByCeType(envelope.type);
    if (!def)
      throw new RejectedMessageError(
        'CONTRACT.UNKNOWN_EVENT_TYPE',
        `unknown event type ${envelope.type}`,
      );
    const type = eventTypeKey(def);
    const common = {
      ...base,
      eventType: type,
      eventId: envelope.id,
      correlationId: envelope.correlationId,
      occurredAt: new Date(envelope.time),
    };
    if (type === RECEIPT_TYPE) {
      const { payload: receipt, errors } = validatePayload(RECEIPT, envelope.data);
      const payload = receipt as ReceiptV1;
      if (errors.length > 0)
        throw new RejectedMessageError('CONTRACT.INVALID_PAYLOAD', describeFieldErrors(errors));
      const subjectEventType = payload.eventType
        ? findEventTypeByCeType(payload.eventType)
        : undefined;
      const route = subjectEventType ? routes.get(eventTypeKey(subjectEventType)) : undefined;
      return {
        ...common,
        kind: 'RECEIPT',
        eventId: payload.eventId,
        eventType: subjectEventType ? eventTypeKey(subjectEventType) : null,
        serviceCode: route?.service ?? null,
        provider: route?.provider ?? null,
        consumer: payload.consumer,
        status: payload.status,
        errorCode: payload.errorCode ?? null,
        reason: payload.reason ?? null,
        occurredAt: new Date(payload.completedAt),
        receipt: { receivedAt: new Date(payload.receivedAt), attempts: payload.attempts },
      };
    }
    const route = routes.get(type);
    return {
      ...common,
      kind: 'PUBLISHED',
      serviceCode: route?.service ?? null,
      status: 'PUBLISHED',
    };
  } catch (e) {
    if (!(e instanceof RejectedMessageError)) throw e;
    return {
      ...base,
      kind: 'REJECTED',
      eventId: m.headers.ce_id || `${m.topic}/${m.partition}/${m.offset}`,
      correlationId: m.headers.ce_correlationid || null,
      status: 'REJECTED',
      errorCode: e.code,
      reason: e.message,
      occurredAt: new Date(Number(m.timestamp)),
    };
  }
}
