import { Metrics } from '@lgsp/observability';
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import type { InboundMessage } from './inbound';
import { KafkaBatchTransport, RESTART_AFTER_CRASH_MS } from './kafka-batch.transport';

const EVENTS = {
  GROUP_JOIN: 'consumer.group_join',
  CRASH: 'consumer.crash',
  STOP: 'consumer.stop',
  FETCH_START: 'consumer.fetch_start',
};

/** A kafkajs consumer as far as the transport uses it, whose crash a test can raise. */
class FakeConsumer extends EventEmitter {
  events = EVENTS;
  runs = 0;
  connect = () => Promise.resolve();
  subscribe = () => Promise.resolve();
  disconnect = () => Promise.resolve();
  run = () => {
    this.runs++;
    return Promise.resolve();
  };
  crash(restart: boolean) {
    this.emit(EVENTS.CRASH, {
      payload: { error: new Error('Failed to find group coordinator'), restart },
    });
  }
}

type Position = { topic: string; partition: number };
type EachBatch = (payload: unknown) => Promise<void>;

/** A kafkajs consumer whose batches a test hands to the transport, recording what it is told. */
class RunningConsumer extends EventEmitter {
  events = EVENTS;
  topics: string[] = [];
  eachBatch!: EachBatch;
  commits: (Position & { offset: string })[][] = [];
  seeks: (Position & { offset: string })[] = [];
  paused: Position[] = [];
  resumed: Position[] = [];
  connect = () => Promise.resolve();
  disconnect = () => Promise.resolve();
  subscribe = ({ topics }: { topics: string[] }) => {
    this.topics = topics;
    return Promise.resolve();
  };
  run = ({ eachBatch }: { eachBatch: EachBatch }) => {
    this.eachBatch = eachBatch;
    return Promise.resolve();
  };
  commitOffsets = (offsets: (Position & { offset: string })[]) => {
    this.commits.push(offsets);
    return Promise.resolve();
  };
  seek = (p: Position & { offset: string }) => this.seeks.push(p);
  pause = (ps: { topic: string; partitions: number[] }[]) =>
    ps.forEach(({ topic, partitions }) =>
      partitions.forEach((partition) => this.paused.push({ topic, partition })),
    );
  resume = (ps: { topic: string; partitions: number[] }[]) =>
    ps.forEach(({ topic, partitions }) =>
      partitions.forEach((partition) => this.resumed.push({ topic, partition })),
    );
}

/** Resolves once the transport has started its consumer. */
function listening(transport: KafkaBatchTransport): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    transport.listen((e) =>
      e ? reject(e instanceof Error ? e : new Error('listen failed')) : resolve(),
    ),
  );
}

describe('KafkaBatchTransport after kafkajs gives its consumer up', () => {
  let consumers: FakeConsumer[];
  let transport: KafkaBatchTransport;

  beforeEach(async () => {
    jest.useFakeTimers();
    consumers = [];
    const kafka = {
      consumer: () => {
        const c = new FakeConsumer();
        consumers.push(c);
        return c;
      },
    } as unknown as Kafka;
    transport = new KafkaBatchTransport({
      kafka,
      system: 'population',
      groupId: 'g',
      topicPrefix: '',
      logger: pino({ level: 'silent' }),
      metrics: new Metrics('spec'),
    });
    transport.addHandler('population.citizen-registered.v1', () => Promise.resolve(), true, {
      mode: 'observe',
    });
    await listening(transport);
  });

  afterEach(async () => {
    await transport.close();
    jest.useRealTimers();
  });

  it('starts a new consumer after a crash kafkajs will not restart', async () => {
    expect(consumers).toHaveLength(1);
    consumers[0].crash(false);
    await jest.advanceTimersByTimeAsync(RESTART_AFTER_CRASH_MS);
    expect(consumers).toHaveLength(2);
    expect(consumers[1].runs).toBe(1);
  });

  it('leaves a crash that kafkajs restarts itself, and a crash while closing, alone', async () => {
    consumers[0].crash(true);
    await jest.advanceTimersByTimeAsync(RESTART_AFTER_CRASH_MS);
    expect(consumers).toHaveLength(1);
    await transport.close();
    consumers[0].crash(false);
    await jest.advanceTimersByTimeAsync(RESTART_AFTER_CRASH_MS);
    expect(consumers).toHaveLength(1);
  });
});

/** A kafkajs batch as the transport reads it. */
function batchOf(topic: string, partition: number, offsets: number[], lag: number) {
  const messages = offsets.map((o) => ({
    offset: String(o),
    key: null,
    value: Buffer.from(`{"n":${o}}`),
    headers: {},
    timestamp: String(1_700_000_000_000 + o),
    attributes: 0,
  }));
  const resolved: string[] = [];
  return {
    payload: {
      batch: {
        topic,
        partition,
        messages,
        offsetLag: () => String(lag),
        lastOffset: () => String(offsets[offsets.length - 1]),
      },
      isStale: () => false,
      resolveOffset: (o: string) => resolved.push(o),
    },
    resolved,
  };
}

describe('KafkaBatchTransport, an observer', () => {
  let consumer: RunningConsumer;
  let transport: KafkaBatchTransport;
  let observed: { topic: string; partition: number; offset: string }[][];
  let fail: boolean;

  beforeEach(async () => {
    jest.useFakeTimers();
    observed = [];
    fail = false;
    consumer = new RunningConsumer();
    transport = new KafkaBatchTransport({
      kafka: { consumer: () => consumer } as unknown as Kafka,
      system: 'hub',
      groupId: 'g',
      topicPrefix: '',
      logger: pino({ level: 'silent' }),
      metrics: new Metrics('spec'),
      fetchIntervalMs: 250,
    });
    transport.addHandler(
      'population.citizen-registered.v1',
      (ms: InboundMessage[]) => {
        if (fail) return Promise.reject(new Error('database gone'));
        observed.push(ms.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
        return Promise.resolve();
      },
      true,
      { mode: 'observe' },
    );
    await listening(transport);
  });

  afterEach(async () => {
    await transport.close();
    jest.useRealTimers();
  });

  it('gets its records through the lanes, and their offsets are committed once it resolved', async () => {
    const topic = consumer.topics[0];
    consumer.emit(EVENTS.FETCH_START);
    const a = batchOf(topic, 0, [0, 1], 1);
    const b = batchOf(topic, 1, [5], 0);
    // Both handed over before either is handled: one run takes both partitions along.
    const done = Promise.all([consumer.eachBatch(a.payload), consumer.eachBatch(b.payload)]);
    await jest.advanceTimersByTimeAsync(500);
    await done;
    expect(a.resolved).toEqual(['1']);
    expect(observed).toEqual([
      [
        { topic, partition: 0, offset: '0' },
        { topic, partition: 0, offset: '1' },
        { topic, partition: 1, offset: '5' },
      ],
    ]);
    expect(consumer.commits.flat()).toEqual(
      expect.arrayContaining([
        { topic, partition: 0, offset: '2' },
        { topic, partition: 1, offset: '6' },
      ]),
    );
  });

  it('commits nothing of a run that threw, and reads it again after a backoff', async () => {
    const topic = consumer.topics[0];
    fail = true;
    consumer.emit(EVENTS.FETCH_START);
    await consumer.eachBatch(batchOf(topic, 0, [0, 1], 1).payload);
    await jest.advanceTimersByTimeAsync(600);
    expect(consumer.commits).toEqual([]);
    expect(consumer.seeks).toEqual([{ topic, partition: 0, offset: '0' }]);
    expect(consumer.paused).toEqual([{ topic, partition: 0 }]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(consumer.resumed).toEqual([{ topic, partition: 0 }]);
  });

  it('fetches again at once after a fetch that left a partition behind, and waits otherwise', async () => {
    const topic = consumer.topics[0];
    consumer.emit(EVENTS.FETCH_START);
    let caughtUpDone = false;
    const caughtUp = consumer.eachBatch(batchOf(topic, 1, [0], 0).payload);
    void caughtUp.then(() => (caughtUpDone = true));
    await jest.advanceTimersByTimeAsync(100);
    expect(caughtUpDone).toBe(false); // paced: 250 ms from the fetch's start
    // Another batch of the same fetch is behind its partition's end: nobody waits any more.
    await consumer.eachBatch(batchOf(topic, 0, [0], 40).payload);
    await jest.advanceTimersByTimeAsync(0);
    expect(caughtUpDone).toBe(true);

    // The next fetch finds everything caught up: paced again.
    consumer.emit(EVENTS.FETCH_START);
    let nextDone = false;
    void consumer.eachBatch(batchOf(topic, 0, [1], 0).payload).then(() => (nextDone = true));
    await jest.advanceTimersByTimeAsync(200);
    expect(nextDone).toBe(false);
    await jest.advanceTimersByTimeAsync(60);
    expect(nextDone).toBe(true);
  });
});
