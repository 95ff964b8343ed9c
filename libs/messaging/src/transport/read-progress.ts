import type { Admin } from 'kafkajs';

/**
 * How far this process's consumer has read: its group, its topics, and per partition the
 * broker's time of the last record it handled. A check that waits for something to arrive
 * over Kafka (a receipt before its deadline) asks it up to when it may conclude "nothing came".
 */
export class ReadProgress {
  private readonly lastRead = new Map<string, number>();
  consumer?: { groupId: string; topics: string[] };

  /** The record at `timestampMs` (broker time) of this partition has been handled. */
  note(topic: string, partition: number, timestampMs: number): void {
    const key = `${topic}|${partition}`;
    if (Number.isFinite(timestampMs) && timestampMs > (this.lastRead.get(key) ?? -Infinity))
      this.lastRead.set(key, timestampMs);
  }

  lastReadAt(topic: string, partition: number): number | undefined {
    return this.lastRead.get(`${topic}|${partition}`);
  }
}

/** The process's consumer, as the transport reports it. */
export const readProgress = new ReadProgress();

type OffsetsAdmin = Pick<Admin, 'fetchOffsets' | 'fetchTopicOffsets'>;

/**
 * The time up to which everything the consumer reads has been read: `now` when no partition
 * is behind its end; otherwise the earliest time of the last record handled on a partition
 * that is behind (undefined if such a partition has not been read at all since start). What
 * the consumer has not read yet may hold what a check is waiting for.
 */
export async function readHorizon(
  admin: OffsetsAdmin,
  progress: ReadProgress,
  now: number,
): Promise<number | undefined> {
  const consumer = progress.consumer;
  if (!consumer) return undefined;
  const committed = new Map<string, bigint>();
  for (const t of await admin.fetchOffsets({
    groupId: consumer.groupId,
    topics: consumer.topics,
  }))
    for (const p of t.partitions) committed.set(`${t.topic}|${p.partition}`, BigInt(p.offset));
  let horizon = now;
  for (const topic of consumer.topics) {
    for (const end of await admin.fetchTopicOffsets(topic)) {
      const at = committed.get(`${topic}|${end.partition}`) ?? -1n;
      // Not committed yet: the group starts from the partition's beginning.
      const position = at < 0n ? BigInt(end.low) : at;
      if (position >= BigInt(end.high)) continue;
      const read = progress.lastReadAt(topic, end.partition);
      if (read === undefined) return undefined;
      horizon = Math.min(horizon, read);
    }
  }
  return horizon;
}
