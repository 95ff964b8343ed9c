import {
  describeFieldErrors,
  eventTypeKey,
  findEventTypeByCeType,
  isGrantedProvider,
  systemOfSource,
  validatePayload,
} from '@lgsp/contracts';
import { decodeEnvelope, type EventEnvelope } from '../envelope';
import { RejectedMessageError } from '../errors';
import type { InboundMessage } from './inbound';

export type Decoded =
  | { ok: true; eventId: string; envelope: EventEnvelope; payload: object }
  | { ok: false; eventId: string; error: RejectedMessageError };

/** The id a record is known by: its `ce_id`, or its position when it has none. */
export function recordId(m: InboundMessage): string {
  return m.headers.ce_id || `${m.topic}/${m.partition}/${m.offset}`;
}

/**
 * Reads a record for the handler of `pattern` (an event type key): envelope, known type,
 * granted publisher, right topic, valid payload. Anything else is a coded refusal.
 */
export function decodeInbound(m: InboundMessage, pattern: string): Decoded {
  try {
    const envelope = decodeEnvelope(m.headers, m.value);
    const def = findEventTypeByCeType(envelope.type);
    if (!def)
      throw new RejectedMessageError(
        'CONTRACT.UNKNOWN_EVENT_TYPE',
        `unknown event type ${envelope.type}`,
      );
    if (!isGrantedProvider(def, systemOfSource(envelope.source))) {
      throw new RejectedMessageError(
        'CONTRACT.UNAUTHORISED_PUBLISHER',
        `${envelope.source} is not granted to publish ${envelope.type}`,
      );
    }
    if (eventTypeKey(def) !== pattern) {
      throw new RejectedMessageError(
        'CONTRACT.WRONG_TOPIC',
        `${envelope.type} does not belong on this topic`,
      );
    }
    const { payload, errors } = validatePayload(def, envelope.data);
    if (errors.length > 0)
      throw new RejectedMessageError('CONTRACT.INVALID_PAYLOAD', describeFieldErrors(errors));
    return { ok: true, eventId: envelope.id, envelope, payload };
  } catch (e) {
    if (!(e instanceof RejectedMessageError)) throw e;
    return { ok: false, eventId: recordId(m), error: e };
  }
}
