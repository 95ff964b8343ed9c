import { Metrics } from '@lgsp/observability';
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
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
    await new Promise<void>((resolve, reject) =>
      transport.listen((e) =>
        e ? reject(e instanceof Error ? e : new Error('listen failed')) : resolve(),
      ),
    );
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
