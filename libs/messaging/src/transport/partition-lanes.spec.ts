import pino from 'pino';
import type { InboundMessage } from './inbound';
import { type LaneControl, type LaneResult, PartitionLanes } from './partition-lanes';

const T = 'lgsp.test.thing-happened.v1';

function records(partition: number, from: number, count: number): InboundMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    topic: T,
    partition,
    offset: String(from + i),
    key: null,
    headers: {},
    value: Buffer.from(String(from + i)),
    timestamp: '0',
  }));
}

class FakeConsumer implements LaneControl {
  readonly calls: string[] = [];
  readonly commits: { topic: string; partition: number; offset: string }[][] = [];
  pause(_t: string, p: number) {
    this.calls.push(`pause ${p}`);
  }
  resume(_t: string, p: number) {
    this.calls.push(`resume ${p}`);
  }
  seek(_t: string, p: number, offset: string) {
    this.calls.push(`seek ${p}@${offset}`);
  }
  commit(offsets: { topic: string; partition: number; offset: string }[]) {
    this.commits.push(offsets);
    return Promise.resolve();
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));
/** Waits until `done` holds (at most a second): runs start a turn after their records come. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 2));
}
const logger = pino({ level: 'silent' });
const options = {
  concurrency: 2,
  maxRecordsPerRun: 3,
  highWater: 5,
  commitIntervalMs: 60_000,
  failureBackoffMs: 30,
  logger,
};

describe('PartitionLanes', () => {
  it('handles each partition in order, one run at a time, and commits only what is settled', async () => {
    const consumer = new FakeConsumer();
    const seen: string[] = [];
    const gate = deferred();
    const lanes = new PartitionLanes(
      consumer,
      async (_t, rs) => {
        const p = rs[0].partition;
        seen.push(`${p}:${rs.map((r) => r.offset).join(',')}`);
        if (p === 0 && rs[0].offset === '0') await gate.promise;
        return {};
      },
      options,
    );
    lanes.push(T, 0, records(0, 0, 2));
    await tick();
    lanes.push(T, 0, records(0, 2, 2)); // queued behind the first run of partition 0
    lanes.push(T, 1, records(1, 10, 1)); // partition 1 does not wait for partition 0
    await tick();
    expect(seen).toEqual(['0:0,1', '1:10']);
    await lanes.commit();
    expect(consumer.commits).toEqual([[{ topic: T, partition: 1, offset: '11' }]]);
    gate.resolve();
    await until(() => seen.length === 3);
    expect(seen).toEqual(['0:0,1', '1:10', '0:2,3']);
    await lanes.commit();
    expect(consumer.commits[1]).toEqual([{ topic: T, partition: 0, offset: '4' }]);
    await lanes.close(Date.now() + 1000);
  });

  it('runs at most `concurrency` runs at once over all partitions', async () => {
    let now = 0;
    let most = 0;
    const lanes = new PartitionLanes(
      new FakeConsumer(),
      async () => {
        most = Math.max(most, ++now);
        await new Promise((r) => setTimeout(r, 5));
        now--;
        return {};
      },
      { ...options, maxRecordsPerRun: 1 }, // one partition a run: no run takes others along
    );
    for (let p = 0; p < 6; p++) lanes.push(T, p, records(p, 0, 1));
    await until(() => lanes.queued() === 0 && now === 0);
    expect(most).toBe(2);
    expect(lanes.queued()).toBe(0);
    await lanes.close(Date.now() + 1000);
  });

  it("takes along what the topic's other partitions have waiting: one run, partition after partition", async () => {
    const consumer = new FakeConsumer();
    const runs: string[] = [];
    const U = 'lgsp.test.other-thing.v1';
    const lanes = new PartitionLanes(
      consumer,
      (t, rs) => {
        runs.push(
          `${t === T ? 'T' : 'U'} ${rs.map((r) => `${r.partition}:${r.offset}`).join(' ')}`,
        );
        return Promise.resolve({});
      },
      { ...options, maxRecordsPerRun: 10 },
    );
    // What one fetch brings: a record or two for several partitions, of two topics.
    lanes.push(T, 2, records(2, 20, 1));
    lanes.push(T, 0, records(0, 0, 2));
    lanes.push(
      U,
      0,
      records(0, 5, 1).map((r) => ({ ...r, topic: U })),
    );
    lanes.push(T, 1, records(1, 10, 1));
    await until(() => runs.length === 2);
    expect(runs).toEqual(['T 2:20 0:0 0:1 1:10', 'U 0:5']);
    await lanes.commit();
    expect(consumer.commits[0]).toEqual(
      expect.arrayContaining([
        { topic: T, partition: 0, offset: '2' },
        { topic: T, partition: 1, offset: '11' },
        { topic: T, partition: 2, offset: '21' },
        { topic: U, partition: 0, offset: '6' },
      ]),
    );
    await lanes.close(Date.now() + 1000);
  });

  it('a run stopped in one partition settles those before it, reads that one again, and hands those after back', async () => {
    const consumer = new FakeConsumer();
    const runs: string[] = [];
    const answers: LaneResult[] = [{ next: { partition: 1, offset: '11' }, retryInMs: 20 }, {}];
    const lanes = new PartitionLanes(
      consumer,
      (_t, rs) => {
        runs.push(rs.map((r) => `${r.partition}:${r.offset}`).join(' '));
        return Promise.resolve(answers.shift() ?? {});
      },
      { ...options, maxRecordsPerRun: 10 },
    );
    lanes.push(T, 0, records(0, 0, 2));
    lanes.push(T, 1, records(1, 10, 2));
    lanes.push(T, 2, records(2, 20, 2));
    await until(() => runs.length === 2);
    // Partition 2 was not handled: it runs again at once, without partition 1 (backing off).
    expect(runs).toEqual(['0:0 0:1 1:10 1:11 2:20 2:21', '2:20 2:21']);
    expect(consumer.calls).toEqual(['seek 1@11', 'pause 1']);
    await lanes.commit();
    expect(consumer.commits[0]).toEqual(
      expect.arrayContaining([
        { topic: T, partition: 0, offset: '2' },
        { topic: T, partition: 1, offset: '11' },
        { topic: T, partition: 2, offset: '22' },
      ]),
    );
    await until(() => consumer.calls.includes('resume 1'));
    expect(consumer.calls).toContain('resume 1');
    await lanes.close(Date.now() + 1000);
  });

  it('after a shared run failed as a whole, each of its partitions runs alone until it settles', async () => {
    const consumer = new FakeConsumer();
    const runs: string[] = [];
    let calls = 0;
    const lanes = new PartitionLanes(
      consumer,
      (_t, rs) => {
        runs.push(rs.map((r) => `${r.partition}:${r.offset}`).join(' '));
        return ++calls === 1
          ? Promise.reject(new Error('a record breaks the batch'))
          : Promise.resolve({});
      },
      { ...options, maxRecordsPerRun: 10 },
    );
    lanes.push(T, 0, records(0, 0, 1));
    lanes.push(T, 1, records(1, 10, 1));
    await until(() => consumer.calls.length === 4);
    expect(consumer.calls).toEqual(['seek 0@0', 'pause 0', 'seek 1@10', 'pause 1']);
    // The backoff (30 ms) ends: both resumed.
    await until(() => consumer.calls.length === 6);
    // Read again after the seek, in one fetch: two runs, one partition each.
    lanes.push(T, 0, records(0, 0, 1));
    lanes.push(T, 1, records(1, 10, 1));
    await until(() => runs.length === 3);
    expect(runs).toEqual(['0:0 1:10', '0:0', '1:10']);
    // Settled: together again.
    lanes.push(T, 0, records(0, 1, 1));
    lanes.push(T, 1, records(1, 11, 1));
    await until(() => runs.length === 4);
    expect(runs.slice(3)).toEqual(['0:1 1:11']);
    await lanes.close(Date.now() + 1000);
  });

  it('does not queue a record twice when it is fetched again', async () => {
    const seen: string[] = [];
    const gate = deferred();
    const lanes = new PartitionLanes(
      new FakeConsumer(),
      async (_t, rs) => {
        seen.push(rs.map((r) => r.offset).join(','));
        await gate.promise;
        return {};
      },
      { ...options, maxRecordsPerRun: 10 },
    );
    lanes.push(T, 0, records(0, 0, 1));
    await tick();
    lanes.push(T, 0, records(0, 1, 2));
    lanes.push(T, 0, records(0, 1, 3)); // 1 and 2 again, then 3
    gate.resolve();
    await until(() => seen.length === 2);
    expect(seen).toEqual(['0', '1,2,3']);
    await lanes.close(Date.now() + 1000);
  });

  it('pauses a partition whose queue is full and resumes it once it drains', async () => {
    const consumer = new FakeConsumer();
    const gate = deferred();
    const lanes = new PartitionLanes(
      consumer,
      async () => {
        await gate.promise;
        return {};
      },
      options,
    );
    lanes.push(T, 0, records(0, 0, 1)); // taken by the first run at once
    await tick();
    lanes.push(T, 0, records(0, 1, 5));
    expect(consumer.calls).toEqual(['pause 0']);
    gate.resolve();
    await until(() => lanes.queued() === 0 && consumer.calls.length === 2);
    expect(consumer.calls).toEqual(['pause 0', 'resume 0']);
    expect(lanes.queued()).toBe(0);
    await lanes.close(Date.now() + 1000);
  });

  it('reads a partition again from the first record not settled, after the backoff asked for', async () => {
    const consumer = new FakeConsumer();
    const seen: string[] = [];
    const answers: LaneResult[] = [{ next: { partition: 0, offset: '1' }, retryInMs: 20 }, {}, {}];
    const lanes = new PartitionLanes(
      consumer,
      (_t, rs) => {
        seen.push(rs.map((r) => r.offset).join(','));
        return Promise.resolve(answers.shift()!);
      },
      options,
    );
    lanes.push(T, 0, records(0, 0, 3));
    await tick();
    await tick();
    expect(consumer.calls).toEqual(['seek 0@1', 'pause 0']);
    // Fetched during the backoff (a restarted consumer forgot its pause and seek): refused,
    // so the consumer does not move past it, and the seek and pause are said again.
    expect(lanes.push(T, 0, records(0, 1, 4))).toBe(false);
    expect(consumer.calls).toEqual(['seek 0@1', 'pause 0', 'seek 0@1', 'pause 0']);
    await lanes.commit();
    expect(consumer.commits).toEqual([[{ topic: T, partition: 0, offset: '1' }]]);
    await until(() => consumer.calls.length === 5);
    expect(consumer.calls).toEqual(['seek 0@1', 'pause 0', 'seek 0@1', 'pause 0', 'resume 0']);
    lanes.push(T, 0, records(0, 1, 4)); // the read after the seek
    await until(() => seen.length === 3);
    expect(seen).toEqual(['0,1,2', '1,2,3', '4']);
    await lanes.close(Date.now() + 1000);
  });

  it('backs off and reads again a run that threw as a whole', async () => {
    const consumer = new FakeConsumer();
    let calls = 0;
    const lanes = new PartitionLanes(
      consumer,
      () => (++calls === 1 ? Promise.reject(new Error('database gone')) : Promise.resolve({})),
      options,
    );
    lanes.push(T, 2, records(2, 7, 2));
    await tick();
    expect(consumer.calls).toEqual(['seek 2@7', 'pause 2']);
    await until(() => consumer.calls.includes('resume 2'));
    expect(consumer.calls).toContain('resume 2');
    await lanes.commit();
    expect(consumer.commits).toEqual([]); // nothing was settled
    await lanes.close(Date.now() + 1000);
  });

  it('after a rebalance, commits nothing for a run that started before it', async () => {
    const consumer = new FakeConsumer();
    const gate = deferred();
    let handled = 0;
    const lanes = new PartitionLanes(
      consumer,
      async () => {
        await gate.promise;
        handled++;
        return {};
      },
      options,
    );
    lanes.push(T, 0, records(0, 0, 2));
    lanes.push(T, 0, records(0, 2, 1));
    await tick();
    lanes.reset();
    expect(lanes.queued()).toBe(0);
    gate.resolve();
    await until(() => handled === 1);
    await tick(); // the run's own settling, after its handler answered
    await lanes.commit();
    expect(consumer.commits).toEqual([]);
    await lanes.close(Date.now() + 1000);
  });

  it('a rebalance ends a backoff: the partition is resumed and read from its committed offset', async () => {
    const consumer = new FakeConsumer();
    const seen: string[] = [];
    const answers: LaneResult[] = [{ next: { partition: 0, offset: '0' }, retryInMs: 60_000 }, {}];
    const lanes = new PartitionLanes(
      consumer,
      (_t, rs) => {
        seen.push(rs.map((r) => r.offset).join(','));
        return Promise.resolve(answers.shift()!);
      },
      options,
    );
    lanes.push(T, 0, records(0, 0, 2));
    await tick();
    expect(consumer.calls).toEqual(['seek 0@0', 'pause 0']);
    lanes.reset();
    expect(consumer.calls).toEqual(['seek 0@0', 'pause 0', 'resume 0']);
    expect(lanes.push(T, 0, records(0, 0, 2))).toBe(true);
    await until(() => seen.length === 2);
    expect(seen).toEqual(['0,1', '0,1']);
    await lanes.close(Date.now() + 1000);
  });

  it('on close, drops what is queued, waits for runs under way and commits them', async () => {
    const consumer = new FakeConsumer();
    const seen: string[] = [];
    const lanes = new PartitionLanes(
      consumer,
      async (_t, rs) => {
        seen.push(rs.map((r) => r.offset).join(','));
        await new Promise((r) => setTimeout(r, 20));
        return {};
      },
      options,
    );
    lanes.push(T, 0, records(0, 0, 5));
    await tick();
    await lanes.close(Date.now() + 1000);
    expect(seen).toEqual(['0,1,2']);
    expect(consumer.commits).toEqual([[{ topic: T, partition: 0, offset: '3' }]]);
    lanes.push(T, 0, records(0, 5, 1));
    expect(lanes.queued()).toBe(0);
  });
});
