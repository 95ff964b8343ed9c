import type { Logger } from 'pino';
import type { InboundMessage } from './inbound';

/** What the lanes need of the consumer: flow control of one partition, and offset commits. */
export interface LaneControl {
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
  /** The partition is read again from `offset` on the next fetch. */
  seek(topic: string, partition: number, offset: string): void;
  commit(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
}

/**
 * The handler's answer for a run of records: all settled, or stopped at `next` (the first
 * record not settled), to be read again from there, after `retryInMs` when given.
 */
export interface LaneResult {
  next?: string;
  retryInMs?: number;
}

export type LaneHandler = (
  topic: string,
  partition: number,
  records: InboundMessage[],
) => Promise<LaneResult>;

export interface LaneOptions {
  /** Runs of records handled at once, over all partitions (each a database transaction). */
  concurrency: number;
  /** The most records one run takes from its partition's queue. */
  maxRecordsPerRun: number;
  /** Records queued on one partition before it is paused (fetching stops for it). */
  highWater: number;
  /** How often the offsets of settled records are committed. */
  commitIntervalMs: number;
  /** Backoff before a run that threw as a whole is tried again. */
  failureBackoffMs: number;
  logger: Logger;
}

class Lane {
  readonly queue: InboundMessage[] = [];
  busy = false;
  /** Paused because its queue is full. */
  full = false;
  /** Paused until a retry backoff ends. */
  backoff?: NodeJS.Timeout;
  /** Paused by a backoff (resumed when it ends, or by a rebalance). */
  paused = false;
  /** The offset after the last record queued: a refetch of older records is not queued twice. */
  next?: bigint;
  /** The offset to commit (the first record not settled), and whether it is not committed yet. */
  settled?: bigint;
  dirty = false;
  /** Bumped by a rebalance: a run that started before it neither commits nor seeks. */
  epoch = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}
}

/**
 * Per-partition queues between the fetcher and the handlers. The consumer hands each fetched
 * batch over and goes on fetching at once; each partition's records are handled in order, one
 * run at a time, a bounded number of runs at once over all partitions. So a record that
 * arrives while other partitions are being handled waits only for its own partition, not for
 * the slowest batch of the fetch it came in. Offsets are committed, on a timer, only up to
 * what the handler settled; a partition whose queue is full is paused until it drains.
 */
export class PartitionLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private readonly timer: NodeJS.Timeout;
  private committing?: Promise<void>;
  private closed = false;

  constructor(
    private readonly control: LaneControl,
    private readonly handle: LaneHandler,
    private readonly opts: LaneOptions,
  ) {
    this.timer = setInterval(() => void this.commit(), opts.commitIntervalMs);
    this.timer.unref();
  }

  /**
   * Queues a fetched batch (records of one partition, in offset order). Answers false when the
   * lane refuses it — closing, or waiting out a backoff before its partition is read again
   * from its seek — and then the consumer must not move its position past the batch.
   */
  push(topic: string, partition: number, records: InboundMessage[]): boolean {
    if (this.closed) return false;
    if (records.length === 0) return true;
    const lane = this.laneOf(topic, partition);
    if (lane.backoff) {
      // Fetched although the partition should be paused at its seek (a consumer that was
      // restarted forgets both): say them again, so that nothing after the seek is skipped.
      if (lane.next !== undefined) this.control.seek(topic, partition, String(lane.next));
      this.control.pause(topic, partition);
      return false;
    }
    for (const r of records) {
      const offset = BigInt(r.offset);
      if (lane.next !== undefined && offset < lane.next) continue;
      lane.queue.push(r);
      lane.next = offset + 1n;
    }
    if (!lane.full && lane.queue.length >= this.opts.highWater) {
      lane.full = true;
      this.control.pause(topic, partition);
    }
    this.kick(lane);
    return true;
  }

  /** Records queued and not yet handled, over all partitions. */
  queued(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queue.length;
    return n;
  }

  /**
   * The group is rebalancing: the consumer reads every partition it keeps again from its
   * committed offset, so nothing queued is kept. A run under way finishes, but commits
   * nothing: what it settled is read again and found a duplicate.
   */
  reset(): void {
    for (const lane of this.lanes.values()) {
      lane.epoch++;
      lane.queue.length = 0;
      lane.next = undefined;
      lane.settled = undefined;
      lane.dirty = false;
      if (lane.backoff) {
        // The partition is read again from its committed offset anyway: a retry, sooner.
        clearTimeout(lane.backoff);
        lane.backoff = undefined;
      }
      if (lane.full || lane.paused) {
        lane.full = false;
        lane.paused = false;
        this.control.resume(lane.topic, lane.partition);
      }
    }
  }

  /** Commits what is settled and not committed yet; one commit at a time. */
  async commit(): Promise<void> {
    if (this.committing) return this.committing;
    const lanes = [...this.lanes.values()].filter((l) => l.dirty && l.settled !== undefined);
    if (lanes.length === 0) return;
    const offsets = lanes.map((l) => {
      l.dirty = false;
      return { topic: l.topic, partition: l.partition, offset: String(l.settled) };
    });
    this.committing = this.control
      .commit(offsets)
      .catch((e: unknown) => {
        // Not fatal: what was settled is read again after a restart and found a duplicate.
        for (const l of lanes) l.dirty = true;
        this.opts.logger.warn({ err: e }, 'offset commit failed; will try again');
      })
      .finally(() => (this.committing = undefined));
    return this.committing;
  }

  /**
   * Stops taking records, lets the runs under way finish (until `deadline`), drops what is
   * queued (it is read again by whoever consumes the partition next) and commits what is
   * settled (until half a second after `deadline`; what is not committed is read again).
   */
  async close(deadline: number): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const lane of this.lanes.values()) {
      lane.queue.length = 0;
      if (lane.backoff) clearTimeout(lane.backoff);
    }
    while ([...this.lanes.values()].some((l) => l.busy) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    // A broker that is gone would have the commit retried for long: it gets what is left.
    const commit = (async () => {
      await this.committing;
      await this.commit();
    })();
    let timer: NodeJS.Timeout | undefined;
    const left = new Promise<void>(
      (r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()) + 500)),
    );
    await Promise.race([commit, left]);
    clearTimeout(timer);
  }

  private laneOf(topic: string, partition: number): Lane {
    const key = `${topic}\u0000${partition}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new Lane(topic, partition);
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private kick(lane: Lane): void {
    if (lane.busy || lane.backoff || lane.queue.length === 0 || this.closed) return;
    lane.busy = true;
    void this.run(lane);
  }

  private async slot(): Promise<void> {
    if (this.running < this.opts.concurrency) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async run(lane: Lane): Promise<void> {
    await this.slot();
    const epoch = lane.epoch;
    const records = lane.queue.splice(0, this.opts.maxRecordsPerRun);
    if (lane.full && lane.queue.length < this.opts.highWater / 2) {
      lane.full = false;
      this.control.resume(lane.topic, lane.partition);
    }
    try {
      if (records.length === 0 || this.closed) return;
      let result: LaneResult;
      try {
        result = await this.handle(lane.topic, lane.partition, records);
      } catch (e) {
        this.opts.logger.warn(
          { err: e, topic: lane.topic, partition: lane.partition, offset: records[0].offset },
          `a batch of ${records.length} failed as a whole; read again in ${this.opts.failureBackoffMs} ms`,
        );
        result = { next: records[0].offset, retryInMs: this.opts.failureBackoffMs };
      }
      if (lane.epoch !== epoch) return;
      const last = BigInt(records[records.length - 1].offset);
      const upTo = result.next === undefined ? last + 1n : BigInt(result.next);
      if (upTo > BigInt(records[0].offset)) this.settle(lane, upTo);
      if (result.next !== undefined) this.readAgain(lane, result.next, result.retryInMs);
    } finally {
      this.release();
      lane.busy = false;
      this.kick(lane);
    }
  }

  private settle(lane: Lane, offset: bigint): void {
    if (lane.settled === undefined || offset > lane.settled) {
      lane.settled = offset;
      lane.dirty = true;
    }
  }

  /** Drops what is queued after `offset` and reads the partition again from there. */
  private readAgain(lane: Lane, offset: string, retryInMs?: number): void {
    lane.queue.length = 0;
    lane.next = BigInt(offset);
    this.control.seek(lane.topic, lane.partition, offset);
    if (retryInMs === undefined || this.closed) return;
    if (!lane.full) this.control.pause(lane.topic, lane.partition);
    lane.full = false;
    lane.paused = true;
    lane.backoff = setTimeout(() => {
      lane.backoff = undefined;
      lane.paused = false;
      this.control.resume(lane.topic, lane.partition);
      this.kick(lane);
    }, retryInMs);
    lane.backoff.unref();
  }
}
