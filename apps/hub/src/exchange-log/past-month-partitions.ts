import type { DataSource } from 'typeorm';

/** How long the start of the oldest partition is trusted before it is read again. */
const OLDEST_TTL_MS = 60_000;

/** Lock id shared with LogPartitions and the archive: partitions are made and dropped one at a time. */
export const PARTITIONS_LOCK = 724_155_004;

/**
 * Makes sure an entry older than the oldest partition of the exchange log (history replayed
 * from old topics, or a month since archived) gets a partition of its own month instead of
 * falling into the default one. It is on the writer's path, so it costs one comparison per
 * entry: the start of the oldest partition is read once a minute, and the database is asked
 * only when an entry lies before it. What the minute's cache misses, the writer sees (its
 * insert returns which rows went to the default partition) and moves at once.
 */
export class PastMonthPartitions {
  private oldest?: { at: number; readAt: number };

  constructor(private readonly dataSource: DataSource) {}

  async ensure(times: readonly Date[]): Promise<void> {
    const oldest = await this.oldestStart();
    const before = new Map<string, Date>();
    for (const t of times) {
      if (t.getTime() < oldest) before.set(t.toISOString().slice(0, 10), t);
    }
    if (before.size > 0) await this.make([...before.values()]);
  }

  /**
   * Entries that fell into the default partition all the same (a month archived by another
   * process since the oldest partition was read) move into a partition of their month, ids and
   * all, so their seals still hold. Dates beyond the months kept ready stay where they are.
   */
  async moveOutOfDefault(times: readonly Date[]): Promise<void> {
    await this.make(times);
  }

  private async make(times: readonly Date[]): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITIONS_LOCK]);
      // The month as the database reckons it (its time zone made the partitions' bounds).
      await tx.query(
        `SELECT lgsp_ensure_log_partitions(t::date, t::date)
           FROM unnest($1::timestamptz[]) t WHERE t < now() + interval '4 months'`,
        [times.map((t) => t.toISOString())],
      );
    });
    this.oldest = undefined;
  }

  private async oldestStart(): Promise<number> {
    if (this.oldest && Date.now() - this.oldest.readAt < OLDEST_TTL_MS) return this.oldest.at;
    const [row] = await this.dataSource.query<{ oldest: Date | null }[]>(
      `SELECT min(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)''\\)')::timestamptz) AS oldest
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'log_entries'::regclass`,
    );
    const at = row.oldest ? row.oldest.getTime() : Number.NEGATIVE_INFINITY;
    this.oldest = { at, readAt: Date.now() };
    return at;
  }
}
