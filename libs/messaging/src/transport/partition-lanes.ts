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
 * record not settled: its partition and offset), to be read again from there, after
 * `retryInMs` when given.
 */
export interface LaneResult {
  next?: { partition: number; offset: string };
  retryInMs?: number;
}

/**
 * Handles one run: records of one topic, partition after partition, each partition's in
 * offset order. They are settled in that order, so a record not settled leaves every record
 * after it in the run unsettled too.
 */
export type LaneHandler = (topic: string, records: InboundMessage[]) => Promise<LaneResult>;

export interface LaneOptions {
  /** Runs handled at once, over all topics (each a database transaction). */
  concurrency: number;
  /** The most records one run takes, from its partition's queue and those it joins. */
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
  /** A run holds records of it: no other run takes any until that one is done. */
  busy = false;
  /** A run of it is due to start (it may find its records taken along by another run). */
  scheduled = false;
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
  /** Runs alone until a run of it settles: a run it shared with other partitions failed as a whole. */
  alone = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}
}

/**
 * Per-partition queues between the fetcher and the handlers. The consumer hands each fetched
 * batch over and goes on fetching at once; each partition's records are handled in order, one
 * run at a time, a bounded number of runs at once. So a record that arrives while other
 * partitions are being handled waits only for its own partition, not for the slowest batch of
 * the fetch it came in. A run starts with the records of the partition that has them and takes
 * along those of the topic's other partitions that wait with no run of their own: at a low
 * rate a fetch brings a record or two per partition, and one transaction for all of them costs
 * a fraction of one each. Offsets are committed, on a timer, only up to what the handler
 * settled; a partition whose queue is full is paused until it drains.
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
    if (lane.busy || lane.scheduled || lane.backoff || lane.queue.length === 0 || this.closed)
      return;
    lane.scheduled = true;
    // After the records the same fetch brings for other partitions are queued too, so that
    // the run can take them along.
    setImmediate(() => void this.run(lane));
  }

  /**
   * The lanes a run of `lead` takes along: of its topic, with records, in no run under way,
   * no backoff; none while either must run alone. One whose own run is due finds it done.
   */
  private companions(lead: Lane): Lane[] {
    if (lead.alone) return [];
    const taken: Lane[] = [];
    for (const l of this.lanes.values()) {
      if (l === lead || l.topic !== lead.topic || l.busy || l.backoff || l.alone) continue;
      if (l.queue.length > 0) taken.push(l);
    }
    return taken.sort((a, b) => a.partition - b.partition);
  }

  /** Takes up to `room` records from the lane's queue, resuming its partition once it drained enough. */
  private take(lane: Lane, room: number): InboundMessage[] {
    const records = lane.queue.splice(0, room);
    if (lane.full && lane.queue.length < this.opts.highWater / 2) {
      lane.full = false;
      this.control.resume(lane.topic, lane.partition);
    }
    return records;
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

  private async run(lead: Lane): Promise<void> {
    // Taken along by another run meanwhile: that run kicks it again when it is done.
    const due = () => !lead.busy && lead.queue.length > 0 && !lead.backoff && !this.closed;
    if (!due()) {
      lead.scheduled = false;
      return;
    }
    await this.slot();
    lead.scheduled = false;
    if (!due()) return this.release();
    const parts: { lane: Lane; epoch: number; records: InboundMessage[] }[] = [];
    let room = this.opts.maxRecordsPerRun;
    for (const lane of [lead, ...this.companions(lead)]) {
      if (room === 0) break;
      const records = this.take(lane, room);
      if (records.length === 0) continue;
      lane.busy = true;
      room -= records.length;
      parts.push({ lane, epoch: lane.epoch, records });
    }
    try {
      if (parts.length === 0 || this.closed) return;
      const all = parts.flatMap((p) => p.records);
      let result: LaneResult;
      try {
        result = await this.handle(lead.topic, all);
      } catch (e) {
        this.opts.logger.warn(
          {
            err: e,
            topic: lead.topic,
            partitions: parts.map((p) => p.lane.partition),
            offset: all[0].offset,
          },
          `a batch of ${all.length} failed as a whole; read again in ${this.opts.failureBackoffMs} ms`,
        );
        // Each partition on its own from now on, until it settles: a record that fails every
        // batch it is in is then found in a batch of its partition alone (and set aside).
        for (const p of parts) {
          if (parts.length > 1) p.lane.alone = true;
          if (p.lane.epoch === p.epoch)
            this.readAgain(p.lane, p.records[0].offset, this.opts.failureBackoffMs);
        }
        return;
      }
      this.apply(parts, result);
    } finally {
      this.release();
      for (const p of parts) p.lane.busy = false;
      for (const p of parts) this.kick(p.lane);
    }
  }

  /**
   * Settles the parts of a run before the record it stopped at (all of them when it did not
   * stop); its own partition is read again from that record; the parts after it were not
   * handled, and go back to the front of their queues.
   */
  private apply(
    parts: { lane: Lane; epoch: number; records: InboundMessage[] }[],
    result: LaneResult,
  ): void {
    const stop = result.next;
    if (stop && !parts.some((p) => p.lane.partition === stop.partition)) {
      // Not a record of this run: settle nothing, read it all again.
      this.opts.logger.error({ stop }, 'a run stopped at a record it did not have');
      for (const p of parts)
        if (p.lane.epoch === p.epoch)
          this.readAgain(p.lane, p.records[0].offset, this.opts.failureBackoffMs);
      return;
    }
    let stopped = false;
    for (const { lane, epoch, records } of parts) {
      if (lane.epoch !== epoch) continue;
      if (stopped) {
        lane.queue.unshift(...records);
        continue;
      }
      if (!stop || stop.partition !== lane.partition) {
        this.settle(lane, BigInt(records[records.length - 1].offset) + 1n);
        lane.alone = false;
        continue;
      }
      stopped = true;
      if (BigInt(stop.offset) > BigInt(records[0].offset)) {
        this.settle(lane, BigInt(stop.offset));
        lane.alone = false;
      }
      this.readAgain(lane, stop.offset, result.retryInMs);
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
