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
      async (_t, p, rs) => {
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
    await new Promise((r) => setTimeout(r, 10));
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
      options,
    );
    for (let p = 0; p < 6; p++) lanes.push(T, p, records(p, 0, 1));
    await new Promise((r) => setTimeout(r, 60));
    expect(most).toBe(2);
    expect(lanes.queued()).toBe(0);
    await lanes.close(Date.now() + 1000);
  });

  it('does not queue a record twice when it is fetched again', async () => {
    const seen: string[] = [];
    const gate = deferred();
    const lanes = new PartitionLanes(
      new FakeConsumer(),
      async (_t, _p, rs) => {
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
    await new Promise((r) => setTimeout(r, 10));
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
    await new Promise((r) => setTimeout(r, 10));
    expect(consumer.calls).toEqual(['pause 0', 'resume 0']);
    expect(lanes.queued()).toBe(0);
    await lanes.close(Date.now() + 1000);
  });

  it('reads a partition again from the first record not settled, after the backoff asked for', async () => {
    const consumer = new FakeConsumer();
    const seen: string[] = [];
    const answers: LaneResult[] = [{ next: '1', retryInMs: 20 }, {}, {}];
    const lanes = new PartitionLanes(
      consumer,
      (_t, _p, rs) => {
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
    await new Promise((r) => setTimeout(r, 40));
    expect(consumer.calls).toEqual(['seek 0@1', 'pause 0', 'seek 0@1', 'pause 0', 'resume 0']);
    lanes.push(T, 0, records(0, 1, 4)); // the read after the seek
    await new Promise((r) => setTimeout(r, 10));
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
    await new Promise((r) => setTimeout(r, 50));
    expect(consumer.calls).toContain('resume 2');
    await lanes.commit();
    expect(consumer.commits).toEqual([]); // nothing was settled
    await lanes.close(Date.now() + 1000);
  });

  it('after a rebalance, commits nothing for a run that started before it', async () => {
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
    lanes.push(T, 0, records(0, 0, 2));
    lanes.push(T, 0, records(0, 2, 1));
    await tick();
    lanes.reset();
    expect(lanes.queued()).toBe(0);
    gate.resolve();
    await new Promise((r) => setTimeout(r, 10));
    await lanes.commit();
    expect(consumer.commits).toEqual([]);
    await lanes.close(Date.now() + 1000);
  });

  it('a rebalance ends a backoff: the partition is resumed and read from its committed offset', async () => {
    const consumer = new FakeConsumer();
    const seen: string[] = [];
    const answers: LaneResult[] = [{ next: '0', retryInMs: 60_000 }, {}];
    const lanes = new PartitionLanes(
      consumer,
      (_t, _p, rs) => {
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
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['0,1', '0,1']);
    await lanes.close(Date.now() + 1000);
  });

  it('on close, drops what is queued, waits for runs under way and commits them', async () => {
    const consumer = new FakeConsumer();
    const seen: string[] = [];
    const lanes = new PartitionLanes(
      consumer,
      async (_t, _p, rs) => {
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
