import {
  eventType,
  eventTypeKey,
  REPLAY_REQUESTED,
  type ReplayRequestedV1,
  topicOf,
} from '@lgsp/contracts';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { type Metrics, settleWithin } from '@lgsp/observability';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import { normaliseHeaders } from '../envelope';
import type { OutboxWriter } from '../outbox/outbox.writer';
import {
  BatchContext,
  type BatchItem,
  type EventContext,
  type HandlerExtras,
  type InboundMessage,
  SetContext,
} from './inbound';
import { ConsumerState } from './consumer-state';
import { type LaneResult, PartitionLanes } from './partition-lanes';
import { type ReadProgress, readProgress } from './read-progress';
import { replayDeadLetters } from './replay';
import { quarantine } from './quarantine';
import { type BatchDeps, type BatchResult, runSubscriberBatch } from './subscriber-batch';

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
  /** Attempts at a transient failure before the event is FAILED and dead-lettered. */
  maxAttempts?: number;
  partitionsConsumedConcurrently?: number;
  /** The largest fetch from one partition, so the largest batch (bytes). */
  maxBytesPerPartition?: number;
  sessionTimeoutMs?: number;
  /** The shortest time from one fetch that brought records to the next (FETCH_INTERVAL_MS by default). */
  fetchIntervalMs?: number;
  /** Where the transport reports how far it has read (the process's own by default). */
  progress?: ReadProgress;
}

interface Route {
  pattern: string;
  mode: 'subscribe' | 'observe';
  /** A subscriber's set handler takes the whole batch. */
  batch?: boolean;
  handler?: MessageHandler;
}

const REPLAY_PATTERN = eventTypeKey(REPLAY_REQUESTED);
/** The longest the broker holds a fetch that finds no record. */
export const FETCH_WAIT_MS = 250;
/** The shortest time from one fetch that brought records to the next. */
export const FETCH_INTERVAL_MS = 25;
/** How long after kafkajs gives a consumer up a new one is started. */
export const RESTART_AFTER_CRASH_MS = 5000;

/**
 * A Nest transport strategy on kafkajs that consumes in batches. Handlers stay declared
 * the Nest way (`@OnEvent('<event type key>')`); the transport routes each topic to its
 * handler. Subscribers get, per batch and in one database transaction, idempotency,
 * receipts, dead letters and follow-up events (see runSubscriberBatch); offsets are
 * committed only after that commit. A transient failure holds back only its partition,
 * for a backoff, and comes back to the failed record. Replay requests addressed to this
 * consumer run its dead letters again.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private readonly attempts = new Map<string, number>();
  /** Whole-batch failures, by the batch's first record. */
  private readonly batchFailures = new Map<string, number>();
  private readonly consumed;
  private readonly duration;
  private readonly lag;
  private readonly deadLetters;
  private routes = new Map<string, Route>();
  private lanes?: PartitionLanes;
  private closing = false;
  private restartTimer?: NodeJS.Timeout;
  private readonly progress: ReadProgress;
  /** What the consumer is doing, for readiness: follows its events, never acts on it. */
  readonly state = new ConsumerState();

  constructor(private readonly opts: KafkaBatchTransportOptions) {
    super();
    this.progress = opts.progress ?? readProgress;
    this.consumed = opts.metrics.counter({
      name: 'lgsp_messages_consumed_total',
      help: 'Messages consumed, by topic and outcome',
      labelNames: ['topic', 'outcome'],
    });
    this.lag = opts.metrics.gauge({
      name: 'lgsp_consumer_lag',
      help: 'Records behind the end of the partition, as of the last batch consumed',
      labelNames: ['topic', 'partition'],
    });
    this.deadLetters = opts.metrics.counter({
      name: 'lgsp_dead_letters_total',
      help: 'Records this consumer settled as FAILED or REJECTED and dead-lettered',
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
    this.closing = true;
    clearTimeout(this.restartTimer);
    // Runs under way finish and their offsets are committed while the consumer is still a member.
    await this.lanes?.close(Date.now() + 2000);
    // Leaving the group retries for a minute when the broker is gone: bounded, as the process is leaving.
    await settleWithin(this.consumer?.disconnect(), 2000);
    this.consumer = undefined;
  }

  on(): void {
    /* kafkajs events are observed through the logger */
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private buildRoutes(): Map<string, Route> {
    const routes = new Map<string, Route>();
    const topic = (pattern: string) => topicOf(eventType(pattern), this.opts.topicPrefix);
    for (const [pattern, handler] of this.getHandlers()) {
      const extras = handler.extras as HandlerExtras | undefined;
      const mode = extras?.mode ?? 'subscribe';
      routes.set(topic(pattern), { pattern, handler, mode, batch: extras?.batch === true });
    }
    if ([...routes.values()].some((r) => r.mode === 'subscribe')) {
      if (!this.opts.dataSource || !this.opts.outbox)
        throw new Error('subscribe handlers need a dataSource and an outbox');
      if (!routes.has(topic(REPLAY_PATTERN)))
        routes.set(topic(REPLAY_PATTERN), { pattern: REPLAY_PATTERN, mode: 'subscribe' });
    }
    return routes;
  }

  private async start(): Promise<void> {
    this.routes = this.buildRoutes();
    if (this.routes.size === 0) return this.state.none();
    const concurrency = this.opts.partitionsConsumedConcurrently ?? 3;
    const consumer = this.opts.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout: this.opts.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1000,
      maxBytesPerPartition: this.opts.maxBytesPerPartition ?? 1_048_576,
      // The broker answers a fetch as soon as there is a record, or after FETCH_WAIT_MS with
      // none: an idle consumer asks a few times a second, not forty. The same bound delays
      // a partition resumed while a fetch is out (after a retry backoff).
      minBytes: 1,
      maxWaitTimeInMs: FETCH_WAIT_MS,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    this.state.watch(consumer);
    // The fetch does not wait for the handlers (lanes), so under load it would go round on a
    // record or two at a time: a fetch that brought records is followed by the next one no
    // sooner than `fetchIntervalMs` after it started.
    const interval = this.opts.fetchIntervalMs ?? FETCH_INTERVAL_MS;
    let fetchStarted = 0;
    // A fetch that left a partition behind its end brought full batches: the next one goes
    // at once, as there is more to read than a pause would save.
    let behind = false;
    const waiting = new Set<() => void>();
    consumer.on(consumer.events.FETCH_START, () => {
      fetchStarted = Date.now();
      behind = false;
    });
    const paced = async (lag: number) => {
      if (lag > 0) {
        behind = true;
        for (const wake of waiting) wake();
        return;
      }
      const left = fetchStarted + interval - Date.now();
      if (behind || left <= 0) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        waiting.add(wake);
      });
    };
    // kafkajs gives up for good on an error it deems not retriable (its group coordinator
    // not found while the broker restarts, say): the service would live on consuming nothing.
    // A new consumer takes over after a pause, from the offsets committed.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.closing) return;
      this.opts.logger.error(
        { err: payload.error.message, retryInMs: RESTART_AFTER_CRASH_MS },
        'Kafka consumer crashed and kafkajs will not restart it; starting a new one',
      );
      this.restartTimer = setTimeout(() => void this.restartAfterCrash(), RESTART_AFTER_CRASH_MS);
    });
    const tp = (topic: string, partition: number) => [{ topic, partitions: [partition] }];
    const lanes = new PartitionLanes(
      {
        pause: (topic, partition) => consumer.pause(tp(topic, partition)),
        resume: (topic, partition) => consumer.resume(tp(topic, partition)),
        seek: (topic, partition, offset) => consumer.seek({ topic, partition, offset }),
        commit: (offsets) => consumer.commitOffsets(offsets),
      },
      (topic, records) => this.runLane(topic, records),
      {
        concurrency,
        maxRecordsPerRun: 500,
        highWater: 2000,
        commitIntervalMs: 500,
        failureBackoffMs: 1000,
        logger: this.opts.logger,
      },
    );
    this.lanes = lanes;
    consumer.on(consumer.events.GROUP_JOIN, () => lanes.reset());
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.routes.keys()], fromBeginning: true });
    this.progress.consumer = { groupId: this.opts.groupId, topics: [...this.routes.keys()] };
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: async (payload) => {
        const route = this.routes.get(payload.batch.topic);
        if (!route || payload.batch.messages.length === 0) return;
        const { topic, partition } = payload.batch;
        const lag = Number(payload.batch.offsetLag());
        this.lag.set({ topic, partition }, lag);
        // Fetched before a seek back to a record that must be read again: not queued.
        if (payload.isStale()) return;
        // Handed to the partition's lane; the fetch goes on from the next record at once.
        const taken = lanes.push(
          topic,
          partition,
          payload.batch.messages.map((m) => toInbound(topic, partition, m)),
        );
        if (taken) payload.resolveOffset(payload.batch.lastOffset());
        return paced(lag);
      },
    });
  }

  /** A fresh consumer (and lanes) after kafkajs gave one up; tried again until it runs. */
  private async restartAfterCrash(): Promise<void> {
    if (this.closing) return;
    await this.lanes?.close(Date.now() + 2000);
    this.lanes = undefined;
    try {
      await this.start();
      this.opts.logger.info('Kafka consumer started again after its crash');
    } catch (e) {
      this.opts.logger.error(
        { err: e instanceof Error ? e.message : String(e), retryInMs: RESTART_AFTER_CRASH_MS },
        'Kafka consumer did not start again; will retry',
      );
      await settleWithin(this.consumer?.disconnect(), 2000);
      if (!this.closing)
        this.restartTimer = setTimeout(() => void this.restartAfterCrash(), RESTART_AFTER_CRASH_MS);
    }
  }

  /** One run of the lanes: its records (of one or more partitions) in one transaction, and where to go on from. */
  private async runLane(topic: string, all: InboundMessage[]): Promise<LaneResult> {
    const route = this.routes.get(topic)!;
    if (route.mode === 'observe') return this.observe(route, topic, all);
    const messages =
      route.pattern === REPLAY_PATTERN ? all.filter((m) => this.addressedToMe(m)) : all;
    if (messages.length === 0) return {};
    const end = this.duration.startTimer({ mode: route.mode });
    try {
      const result = await this.handleBatch(route, messages);
      for (const outcome of result.outcomes) {
        this.consumed.inc({ topic, outcome });
        if (outcome === 'FAILED' || outcome === 'REJECTED')
          this.deadLetters.inc({ topic, outcome });
      }
      // Offsets move only past what is settled; a record not settled is read again.
      if (result.settled === messages.length) return {};
      const { partition, offset } = messages[result.settled];
      return { next: { partition, offset }, retryInMs: result.retryInMs };
    } finally {
      end();
    }
  }

  /**
   * An observer's run: its handler takes the records as they are (of one topic, partition
   * after partition, each partition's in order) and is itself idempotent. Once it resolves,
   * they are settled; if it throws, the lanes read them again after a backoff.
   */
  private async observe(
    route: Route,
    topic: string,
    messages: InboundMessage[],
  ): Promise<LaneResult> {
    const end = this.duration.startTimer({ mode: route.mode });
    try {
      const result: unknown = await route.handler!(
        messages,
        new BatchContext(topic, messages[0].partition),
      );
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    } finally {
      end();
    }
    this.consumed.inc({ topic, outcome: 'observed' }, messages.length);
    const last = new Map<number, InboundMessage>();
    for (const m of messages) last.set(m.partition, m);
    for (const [partition, m] of last) this.progress.note(topic, partition, Number(m.timestamp));
    return {};
  }

  /**
   * One transaction for the batch. If the same batch keeps failing as a whole (not a
   * handler's failure, which is settled inside it), its records are tried one by one and
   * the first that fails alone is quarantined, so that no record stalls a partition for ever.
   */
  private async handleBatch(route: Route, messages: InboundMessage[]): Promise<BatchResult> {
    const run = (ms: InboundMessage[]) =>
      this.opts.dataSource!.transaction((tx) =>
        runSubscriberBatch(
          this.deps(),
          tx,
          ms.map((message) => ({ message, pattern: route.pattern })),
        ),
      );
    const first = messages[0];
    const key = first ? `${first.topic}/${first.partition}/${first.offset}` : '';
    try {
      const result = await run(messages);
      this.batchFailures.delete(key);
      return result;
    } catch (e) {
      const failures = (this.batchFailures.get(key) ?? 0) + 1;
      this.batchFailures.set(key, failures);
      if (failures < (this.opts.maxAttempts ?? 5)) throw e;
      this.batchFailures.delete(key);
      return this.isolate(messages, run);
    }
  }

  private async isolate(
    messages: InboundMessage[],
    run: (ms: InboundMessage[]) => Promise<BatchResult>,
  ): Promise<BatchResult> {
    const outcomes: BatchResult['outcomes'] = [];
    for (const [i, m] of messages.entries()) {
      try {
        const one = await run([m]);
        outcomes.push(...one.outcomes);
        if (one.retryInMs !== undefined) return { settled: i, outcomes, retryInMs: one.retryInMs };
      } catch (e) {
        await this.opts.dataSource!.transaction((tx) => quarantine(tx, this.deps(), m, e));
        outcomes.push('REJECTED');
      }
    }
    return { settled: messages.length, outcomes };
  }

  /** Replay requests name one consumer; the others let them pass. */
  private addressedToMe(m: InboundMessage): boolean {
    try {
      return (
        (JSON.parse(m.value?.toString('utf8') ?? '') as { consumer?: unknown }).consumer ===
        this.opts.system
      );
    } catch {
      return true; // not readable: let the contract checks refuse it, with a receipt
    }
  }

  private deps(): BatchDeps {
    return {
      system: this.opts.system,
      outbox: this.opts.outbox!,
      logger: this.opts.logger,
      maxAttempts: this.opts.maxAttempts ?? 5,
      attempts: this.attempts,
      invoke: (pattern, payload, ctx) => this.invoke(pattern, payload, ctx),
      setHandler: (pattern) => {
        const route = this.routeOf(pattern);
        return route?.batch ? (items, ctx) => this.call(route, items, ctx) : undefined;
      },
    };
  }

  private routeOf(pattern: string): Route | undefined {
    return [...this.routes.values()].find((r) => r.pattern === pattern);
  }

  private async call(route: Route, payload: unknown, ctx: object): Promise<void> {
    const result: unknown = await route.handler!(payload, ctx);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private async invoke(pattern: string, payload: object, ctx: EventContext): Promise<void> {
    if (pattern === REPLAY_PATTERN) {
      await replayDeadLetters(
        payload as ReplayRequestedV1,
        ctx,
        this.deps(),
        (t) => this.routes.get(t)?.pattern,
      );
      return;
    }
    const route = this.routeOf(pattern)!;
    if (!route.batch) return this.call(route, payload, ctx);
    // A set handler given one record (the one-by-one path): its refusal is this record's.
    const item: BatchItem = { payload, envelope: ctx.envelope, message: ctx.message };
    const set = new SetContext(ctx.manager, this.opts.outbox!);
    await this.call(route, [item], set);
    const refusal = set.refusalOf(item);
    if (refusal) throw refusal;
    await this.opts.outbox!.enqueue(ctx.manager, set.followUps([item]));
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
