import { applyDecorators, UseFilters } from '@nestjs/common';
import { BaseRpcContext, EventPattern } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, KafkaHeaders } from '../envelope';
import type { OutboxWriter, PublishRequest } from '../outbox/outbox.writer';
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
   * `observe`: the whole batch of raw messages; the handler is responsible for idempotency.
   */
  mode?: 'subscribe' | 'observe';
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
