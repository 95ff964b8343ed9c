import {
  describeFieldErrors,
  eventType,
  eventTypeKey,
  findEventTypeByCeType,
  isGrantedProvider,
  systemOfSource,
  topicOf,
  validatePayload,
} from '@lgsp/contracts';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { lastValueFrom } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Metrics } from '@lgsp/observability';
import { decodeEnvelope, normaliseHeaders, type EventEnvelope } from '../envelope';
import { PermanentError, RejectedMessageError } from '../errors';
import type { OutboxWriter, RawOutboxMessage } from '../outbox/outbox.writer';
import { backoffDelay } from './backoff';
import { BatchContext, EventContext, type HandlerExtras, type InboundMessage } from './inbound';

export interface KafkaBatchTransportOptions {
  kafka: Kafka;
  /** The consuming system's code: it names the consumer in receipts and its dead-letter topic. */
  system: string;
  groupId: string;
  topicPrefix: string;
  logger: Logger;
  metrics: Metrics;
  /** Needed by `subscribe` handlers: idempotency, receipts and follow-ups share their transaction. */
  dataSource?: DataSource;
  outbox?: OutboxWriter;
  maxAttempts?: number;
  partitionsConsumedConcurrently?: number;
}

interface Route {
  pattern: string;
  handler: MessageHandler;
  mode: 'subscribe' | 'observe';
}

type Outcome =
  | { kind: 'settled'; status: 'SUCCESS' | 'FAILED' | 'REJECTED' | 'DUPLICATE' }
  | { kind: 'retry'; delayMs: number };

/**
 * A Nest transport strategy on kafkajs that consumes in batches. Handlers stay declared
 * the Nest way (`@EventPattern('<event type key>')`); the transport routes each topic
 * to its handler. For subscribers it writes, per batch and in one database transaction,
 * each change with its processed-event record and its receipt (or, on failure, a FAILED
 * or REJECTED receipt and a dead letter), and commits offsets only after that commit.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private readonly attempts = new Map<string, number>();
  private readonly consumed;
  private readonly duration;

  constructor(private readonly opts: KafkaBatchTransportOptions) {
    super();
    this.consumed = opts.metrics.counter({
      name: 'lgsp_messages_consumed_total',
      help: 'Messages consumed, by topic and outcome',
      labelNames: ['topic', 'outcome'],
    });
    this.duration = opts.metrics.histogram({
      name: 'lgsp_batch_duration_seconds',
      help: 'Time to handle one consumed batch, database commit included',
      labelNames: ['mode'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
  }

  listen(callback: (err?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (e: unknown) => callback(e),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  on(): void {
    /* kafkajs events are observed through the logger */
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private routes(): Map<string, Route> {
    const routes = new Map<string, Route>();
    for (const [pattern, handler] of this.getHandlers()) {
      const def = eventType(pattern);
      const mode = (handler.extras as HandlerExtras | undefined)?.mode ?? 'subscribe';
      routes.set(topicOf(def, this.opts.topicPrefix), { pattern, handler, mode });
    }
    return routes;
  }

  private async start(): Promise<void> {
    const routes = this.routes();
    if (routes.size === 0) return;
    if (
      [...routes.values()].some((r) => r.mode === 'subscribe') &&
      !(this.opts.dataSource && this.opts.outbox)
    ) {
      throw new Error('subscribe handlers need a dataSource and an outbox');
    }
    const consumer = this.opts.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      maxBytesPerPartition: 1_048_576,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...routes.keys()], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 3,
      eachBatch: async (payload) => {
        const route = routes.get(payload.batch.topic);
        if (!route || payload.batch.messages.length === 0) return;
        const end = this.duration.startTimer({ mode: route.mode });
        try {
          if (route.mode === 'observe') await this.observe(route, payload);
          else await this.subscribe(route, payload);
        } finally {
          end();
        }
      },
    });
  }

  private async observe(route: Route, p: EachBatchPayload): Promise<void> {
    const { topic, partition } = p.batch;
    const messages = p.batch.messages.map((m) => toInbound(topic, partition, m));
    const result: unknown = await route.handler(messages, new BatchContext(topic, partition));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    p.resolveOffset(p.batch.lastOffset());
    await p.commitOffsetsIfNecessary(p.uncommittedOffsets());
    this.consumed.inc({ topic, outcome: 'observed' }, messages.length);
  }

  private async subscribe(route: Route, p: EachBatchPayload): Promise<void> {
    const { topic, partition } = p.batch;
    const ds = this.opts.dataSource as DataSource;
    const qr = ds.createQueryRunner();
    const settled: { offset: string; status: string }[] = [];
    let retry: { message: InboundMessage; delayMs: number } | undefined;
    await qr.connect();
    try {
      await qr.startTransaction();
      for (const m of p.batch.messages) {
        if (!p.isRunning() || p.isStale()) break;
        const message = toInbound(topic, partition, m);
        const outcome = await this.handleOne(route, message, qr.manager);
        if (outcome.kind === 'retry') {
          retry = { message, delayMs: outcome.delayMs };
          break;
        }
        settled.push({ offset: m.offset, status: outcome.status });
      }
      await qr.commitTransaction();
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
    for (const s of settled) {
      p.resolveOffset(s.offset);
      this.consumed.inc({ topic, outcome: s.status });
    }
    await p.commitOffsetsIfNecessary(p.uncommittedOffsets());
    await p.heartbeat();
    if (retry) this.retryLater(p, retry.message, retry.delayMs);
  }

  /** Holds back only this partition and comes back to the failed message after a backoff. */
  private retryLater(p: EachBatchPayload, message: InboundMessage, delayMs: number): void {
    const resume = p.pause();
    this.consumer?.seek({
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
    });
    setTimeout(resume, delayMs).unref();
  }

  private async handleOne(
    route: Route,
    m: InboundMessage,
    manager: EntityManager,
  ): Promise<Outcome> {
    const receivedAt = new Date().toISOString();
    let envelope: EventEnvelope;
    let payload: object;
    try {
      envelope = decodeEnvelope(m.headers, m.value);
      payload = this.checkContract(route, envelope);
    } catch (e) {
      if (!(e instanceof RejectedMessageError)) throw e;
      return this.refuse(manager, m, 'REJECTED', e.code, e.message, 1, receivedAt);
    }
    await manager.query('SAVEPOINT lgsp_message');
    const claimed: unknown[] = await manager.query(
      `INSERT INTO processed_events (consumer, event_id, outcome) VALUES ($1, $2, 'SUCCESS')
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [this.opts.system, envelope.id],
    );
    if (claimed.length === 0) {
      await manager.query('RELEASE SAVEPOINT lgsp_message');
      return { kind: 'settled', status: 'DUPLICATE' };
    }
    const attempt = (this.attempts.get(envelope.id) ?? 0) + 1;
    try {
      const ctx = new EventContext(envelope, m, manager, this.outbox);
      const result: unknown = await route.handler(payload, ctx);
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      await this.outbox.enqueue(manager, [
        this.receipt(envelope, m, 'SUCCESS', attempt, receivedAt),
      ]);
      await manager.query('RELEASE SAVEPOINT lgsp_message');
      this.attempts.delete(envelope.id);
      return { kind: 'settled', status: 'SUCCESS' };
    } catch (e) {
      await manager.query('ROLLBACK TO SAVEPOINT lgsp_message');
      await manager.query('RELEASE SAVEPOINT lgsp_message');
      if (e instanceof PermanentError) {
        this.attempts.delete(envelope.id);
        return this.refuse(manager, m, 'FAILED', e.code, e.message, attempt, receivedAt, envelope);
      }
      const max = this.opts.maxAttempts ?? 5;
      const reason = e instanceof Error ? e.message : String(e);
      if (attempt >= max) {
        this.attempts.delete(envelope.id);
        return this.refuse(
          manager,
          m,
          'FAILED',
          'DELIVERY.RETRIES_EXHAUSTED',
          reason,
          attempt,
          receivedAt,
          envelope,
        );
      }
      this.attempts.set(envelope.id, attempt);
      const delayMs = backoffDelay(attempt);
      this.opts.logger.warn(
        { eventId: envelope.id, attempt, delayMs, err: reason },
        'handler failed; will retry',
      );
      return { kind: 'retry', delayMs };
    }
  }

  private checkContract(route: Route, envelope: EventEnvelope): object {
    const def = findEventTypeByCeType(envelope.type);
    if (!def) {
      throw new RejectedMessageError(
        'CONTRACT.UNKNOWN_EVENT_TYPE',
        `unknown event type ${envelope.type}`,
      );
    }
    if (!isGrantedProvider(def, systemOfSource(envelope.source))) {
      throw new RejectedMessageError(
        'CONTRACT.UNAUTHORISED_PUBLISHER',
        `${envelope.source} is not granted to publish ${envelope.type}`,
      );
    }
    if (eventTypeKey(def) !== route.pattern) {
      throw new RejectedMessageError(
        'CONTRACT.WRONG_TOPIC',
        `${envelope.type} does not belong on this topic`,
      );
    }
    const { payload, errors } = validatePayload(def, envelope.data);
    if (errors.length > 0) {
      throw new RejectedMessageError('CONTRACT.INVALID_PAYLOAD', describeFieldErrors(errors));
    }
    return payload;
  }

  private get outbox(): OutboxWriter {
    return this.opts.outbox as OutboxWriter;
  }

  /** FAILED or REJECTED: recorded as processed, receipted, and copied to the dead letters. */
  private async refuse(
    manager: EntityManager,
    m: InboundMessage,
    status: 'FAILED' | 'REJECTED',
    code: string,
    reason: string,
    attempts: number,
    receivedAt: string,
    envelope?: EventEnvelope,
  ): Promise<Outcome> {
    const eventId = envelope?.id || m.headers.ce_id || `${m.topic}/${m.partition}/${m.offset}`;
    const fresh: unknown[] = await manager.query(
      `INSERT INTO processed_events (consumer, event_id, outcome) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [this.opts.system, eventId, status],
    );
    if (fresh.length === 0) return { kind: 'settled', status: 'DUPLICATE' };
    this.opts.logger.warn({ eventId, topic: m.topic, status, code, reason }, 'message refused');
    const cause: EventEnvelope = envelope ?? {
      id: eventId,
      type: m.headers.ce_type ?? '',
      source: m.headers.ce_source ?? '',
      time: m.headers.ce_time ?? '',
      correlationId: m.headers.ce_correlationid || eventId,
      data: null,
    };
    const receipt = this.receipt(cause, m, status, attempts, receivedAt, code, reason);
    const deadLetter: RawOutboxMessage = {
      topic: this.outbox.deadLetterTopic(),
      key: m.key,
      headers: {
        ...m.headers,
        lgsp_dlq_consumer: this.opts.system,
        lgsp_dlq_status: status,
        lgsp_dlq_error_code: code,
        lgsp_dlq_reason: reason.slice(0, 1000),
        lgsp_dlq_attempts: String(attempts),
        lgsp_dlq_original_topic: m.topic,
        lgsp_dlq_original_partition: String(m.partition),
        lgsp_dlq_original_offset: m.offset,
      },
      payload: m.value,
    };
    await this.outbox.enqueue(manager, [receipt, deadLetter]);
    return { kind: 'settled', status };
  }

  private receipt(
    cause: EventEnvelope,
    m: InboundMessage,
    status: 'SUCCESS' | 'FAILED' | 'REJECTED',
    attempts: number,
    receivedAt: string,
    errorCode?: string,
    reason?: string,
  ): RawOutboxMessage {
    return this.outbox.receipt(
      {
        eventId: cause.id.slice(0, 200),
        eventType: cause.type || undefined,
        consumer: this.opts.system,
        status,
        errorCode,
        reason: reason?.slice(0, 1000),
        attempts,
        receivedAt,
        completedAt: new Date().toISOString(),
      },
      { correlationId: cause.correlationId, key: m.key },
    );
  }
}

function toInbound(topic: string, partition: number, m: KafkaMessage): InboundMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : null,
    headers: normaliseHeaders(m.headers),
    value: m.value,
    timestamp: m.timestamp,
  };
}
