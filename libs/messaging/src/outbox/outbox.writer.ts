import {
  ceTypeOf,
  describeFieldErrors,
  eventType,
  eventTypeKey,
  type EventTypeDef,
  RECEIPT,
  type ReceiptV1,
  sourceOf,
  topicOf,
  validatePayload,
} from '@lgsp/contracts';
import type { EntityManager } from 'typeorm';
import { toKafkaHeaders, type EventEnvelope, type KafkaHeaders } from '../envelope';
import { subjectKey } from '../subject-key';
import { uuidv7 } from '../uuid7';
import { deadLetterTopicOf } from '../kafka/kafka-names';
import { withinRecordLimit } from './sendable';

export interface PublishRequest<T = object> {
  /** Event type key, e.g. `civil-status.birth-registered.v1`. */
  type: string;
  data: T;
  correlationId: string;
  causationId?: string;
  /** Kafka key to use instead of the one derived from the subject (receipts follow their event). */
  key?: string;
  /** The member system publishing, when the hub publishes on its behalf (HTTP ingress). */
  system?: string;
}

export interface RawOutboxMessage {
  topic: string;
  key: string | null;
  headers: KafkaHeaders;
  payload: Buffer | null;
}

export interface OutboxSettings {
  system: string;
  provinceCode: string;
  topicPrefix: string;
  subjectHashKey: string;
}

/**
 * Writes outgoing events into the outbox table through the caller's transaction,
 * so the event exists exactly when the change it reports is committed.
 */
export class OutboxWriter {
  constructor(readonly settings: OutboxSettings) {}

  get source(): string {
    return sourceOf(this.settings.provinceCode, this.settings.system);
  }

  /** Builds a message and its envelope; the payload must satisfy its contract. */
  build<T extends object>(
    req: PublishRequest<T>,
  ): { envelope: EventEnvelope<T>; message: RawOutboxMessage } {
    const def = eventType(req.type);
    const { errors } = validatePayload(def, req.data);
    if (errors.length > 0) {
      throw new Error(`outgoing ${req.type} breaks its contract: ${describeFieldErrors(errors)}`);
    }
    return this.compose(def, req);
  }

  private compose<T extends object>(
    def: EventTypeDef,
    req: PublishRequest<T>,
  ): { envelope: EventEnvelope<T>; message: RawOutboxMessage } {
    const envelope: EventEnvelope<T> = {
      id: uuidv7(),
      source: req.system ? sourceOf(this.settings.provinceCode, req.system) : this.source,
      type: ceTypeOf(def),
      time: new Date().toISOString(),
      correlationId: req.correlationId,
      causationId: req.causationId,
      data: req.data,
    };
    const key = req.key ?? subjectKey(this.settings.subjectHashKey, def.subjectOf(req.data));
    const message = {
      topic: topicOf(def, this.settings.topicPrefix),
      key,
      headers: toKafkaHeaders(envelope),
      payload: Buffer.from(JSON.stringify(req.data)),
    };
    return { envelope, message };
  }

  async publish<T extends object>(
    manager: EntityManager,
    req: PublishRequest<T>,
  ): Promise<EventEnvelope<T>> {
    const { envelope, message } = this.build(req);
    await this.enqueue(manager, [message]);
    return envelope;
  }

  /**
   * A receipt is not run through the contract's validators, unlike every other outgoing
   * event: the transport makes it from values it bounds itself (an id cut to 200
   * characters, a reason to 1,000, a count from 1, ISO times), it is one per consumed
   * record on every consumer's hot path, and the hub checks each one it reads anyway
   * (a receipt it cannot read is logged REJECTED). outbox.writer.spec.ts holds the
   * transport's receipts to the contract.
   */
  receipt(
    receipt: ReceiptV1,
    cause: { correlationId: string; key: string | null },
  ): RawOutboxMessage {
    return this.compose(RECEIPT, {
      type: eventTypeKey(RECEIPT),
      data: receipt,
      correlationId: cause.correlationId,
      causationId: receipt.eventId,
      key: cause.key ?? undefined,
    }).message;
  }

  deadLetterTopic(system = this.settings.system): string {
    return deadLetterTopicOf(system, this.settings.topicPrefix);
  }

  /** One multi-row INSERT for any number of messages. */
  async enqueue(manager: EntityManager, messages: RawOutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const params: unknown[] = [];
    const rows = messages.map((given, i) => {
      const m = withinRecordLimit(given);
      params.push(m.topic, m.key, JSON.stringify(m.headers), m.payload);
      const b = i * 4;
      return `($${b + 1}, $${b + 2}, $${b + 3}::jsonb, $${b + 4})`;
    });
    await manager.query(
      `INSERT INTO outbox (topic, key, headers, payload) VALUES ${rows.join(', ')}`,
      params,
    );
  }
}
