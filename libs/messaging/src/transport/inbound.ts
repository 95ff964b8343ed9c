import { applyDecorators, UseFilters } from '@nestjs/common';
import { BaseRpcContext, EventPattern } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, KafkaHeaders } from '../envelope';
import type { PermanentError } from '../errors';
import type { OutboxWriter, PublishRequest, RawOutboxMessage } from '../outbox/outbox.writer';
import { RethrowRpcFilter } from './rethrow-rpc.filter';

/** A Kafka record as the transport hands it over, headers already decoded to strings. */
export interface InboundMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: KafkaHeaders;
  value: Buffer | null;
  timestamp: string;
}

/**
 * What a subscriber's handler gets beside the payload: the envelope, the database
 * transaction it must write through, and `publish` for follow-up events in that same
 * transaction (correlation carried over, causation set to this event).
 */
export class EventContext extends BaseRpcContext<[EventEnvelope, InboundMessage]> {
  constructor(
    envelope: EventEnvelope,
    message: InboundMessage,
    readonly manager: EntityManager,
    private readonly outbox: OutboxWriter,
  ) {
    super([envelope, message]);
  }

  get envelope(): EventEnvelope {
    return this.args[0];
  }

  get message(): InboundMessage {
    return this.args[1];
  }

  publish<T extends object>(type: string, data: T): Promise<EventEnvelope<T>> {
    const req: PublishRequest<T> = {
      type,
      data,
      correlationId: this.envelope.correlationId,
      causationId: this.envelope.id,
    };
    return this.outbox.publish(this.manager, req);
  }
}

/** One record of a set handler's batch: its payload, already checked against its contract. */
export interface BatchItem<T = object> {
  payload: T;
  envelope: EventEnvelope;
  message: InboundMessage;
}

/**
 * What a set handler (`@OnEvent(type, { batch: true })`) gets beside its items: the batch's
 * database transaction, `publish` to queue a follow-up of one item (written with the batch's
 * receipts, in one statement), and `refuse` to settle one item as FAILED with its code. An
 * item not refused is applied. A handler that throws fails the whole batch; the transport
 * then runs the items one by one, each under its own savepoint, to find the bad one.
 */
export class SetContext extends BaseRpcContext<[EntityManager]> {
  private readonly queued = new Map<BatchItem, RawOutboxMessage[]>();
  private readonly refusals = new Map<BatchItem, PermanentError>();

  constructor(
    manager: EntityManager,
    private readonly outbox: OutboxWriter,
  ) {
    super([manager]);
  }

  get manager(): EntityManager {
    return this.args[0];
  }

  publish<T extends object>(item: BatchItem, type: string, data: T): void {
    const req: PublishRequest<T> = {
      type,
      data,
      correlationId: item.envelope.correlationId,
      causationId: item.envelope.id,
    };
    const list = this.queued.get(item) ?? [];
    list.push(this.outbox.build(req).message);
    this.queued.set(item, list);
  }

  refuse(item: BatchItem, error: PermanentError): void {
    this.refusals.set(item, error);
  }

  refusalOf(item: BatchItem): PermanentError | undefined {
    return this.refusals.get(item);
  }

  /** Follow-ups of the items applied, in item order. */
  followUps(items: BatchItem[]): RawOutboxMessage[] {
    return items.filter((i) => !this.refusals.has(i)).flatMap((i) => this.queued.get(i) ?? []);
  }
}

/** Context of an observer's batch handler (the hub reads every stream as it is). */
export class BatchContext extends BaseRpcContext<[string, number]> {
  constructor(topic: string, partition: number) {
    super([topic, partition]);
  }
  get topic(): string {
    return this.args[0];
  }
  get partition(): number {
    return this.args[1];
  }
}

/** Handler options, given as `@EventPattern(type, { mode: 'observe' })`. */
export interface HandlerExtras {
  /**
   * `subscribe` (default): one event at a time, idempotent, receipted, in a database transaction.
   * `observe`: runs of raw messages (of one topic, partition after partition, each partition's
   * in order); the handler is responsible for idempotency.
   */
  mode?: 'subscribe' | 'observe';
  /**
   * With `subscribe`: the handler takes the whole batch (`BatchItem[]`, `SetContext`) and
   * works on it with a few statements per table. Idempotency, receipts, dead letters and
   * retries stay the transport's, as for a handler of one event.
   */
  batch?: boolean;
}

/**
 * `@EventPattern` for this transport: the pattern is an event type key (or several), and the
 * handler's errors reach the transport as they were thrown (see RethrowRpcFilter). Nest's
 * typed overloads require extra handler arguments to be `unknown`, so this also lets a
 * handler type its context as `EventContext`.
 */
export function OnEvent(type: string | string[], extras: HandlerExtras = {}): MethodDecorator {
  return applyDecorators(
    EventPattern<string | string[]>(type, extras),
    UseFilters(RethrowRpcFilter),
  );
}
