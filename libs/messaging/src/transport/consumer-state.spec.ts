import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { ConsumerState } from './consumer-state';

/** The events of a kafkajs consumer, emitted by hand. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const events = {
    GROUP_JOIN: 'consumer.group_join',
    CRASH: 'consumer.crash',
    STOP: 'consumer.stop',
  } as Consumer['events'];
  const consumer = {
    events,
    on: (name: string, listener: (e: unknown) => void) => emitter.on(name, listener),
  } as unknown as Pick<Consumer, 'on' | 'events'>;
  const emit = (name: string, payload: object) => emitter.emit(name, { payload });
  return {
    consumer,
    join: (memberAssignment: Record<string, number[]>) =>
      emit(events.GROUP_JOIN, { memberAssignment }),
    crash: (restart: boolean) => emit(events.CRASH, { error: new Error('broker gone'), restart }),
    stop: () => emit(events.STOP, {}),
  };
}

describe('ConsumerState: readiness from the consumer’s events', () => {
  it('is not ready until the consumer has joined its group, then names its partitions', async () => {
    const state = new ConsumerState();
    const c = fakeConsumer();
    state.watch(c.consumer);
    await expect(state.check()).rejects.toThrow('not yet a member of its consumer group');
    c.join({ 'lgsp.a.v1': [0, 2], 'lgsp.b.v1': [1] });
    await expect(state.check()).resolves.toBe('3 partitions assigned');
  });

  it('stays ready with no partition: a standby when replicas outnumber partitions', async () => {
    const state = new ConsumerState();
    const c = fakeConsumer();
    state.watch(c.consumer);
    c.join({});
    await expect(state.check()).resolves.toBe('0 partitions assigned');
  });

  it('is not ready after a crash until it joins again', async () => {
    const state = new ConsumerState();
    const c = fakeConsumer();
    state.watch(c.consumer);
    c.join({ t: [0] });
    c.stop();
    c.crash(true);
    await expect(state.check()).rejects.toThrow('crashed (broker gone); restarting');
    c.join({ t: [0] });
    await expect(state.check()).resolves.toBe('1 partition assigned');
    c.stop();
    c.crash(false);
    await expect(state.check()).rejects.toThrow('not restarting');
  });

  it('is not ready once stopped', async () => {
    const state = new ConsumerState();
    const c = fakeConsumer();
    state.watch(c.consumer);
    c.join({ t: [0] });
    c.stop();
    await expect(state.check()).rejects.toThrow('stopped');
  });

  it('is ready at once when there is no topic to consume', async () => {
    const state = new ConsumerState();
    state.none();
    await expect(state.check()).resolves.toBe('no topic to consume');
  });
});
