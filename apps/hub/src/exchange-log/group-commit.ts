interface Waiting<T> {
  items: T[];
  done: (e?: Error) => void;
}

/**
 * Group commit: callers hand over items, one writer at a time writes everything handed over
 * since its last write, in one go, and each caller's promise settles when the write that
 * held its items has committed (or failed, for all of them). Many small batches — one per
 * Kafka partition — become a few large database transactions, and writers never contend
 * with each other for the same rows. When a merged write fails, each caller's items are
 * written again on their own, so one bad batch fails only its own caller.
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private writing?: Promise<void>;

  constructor(private readonly write: (items: T[]) => Promise<unknown>) {}

  submit(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, done: (e) => (e ? reject(e) : resolve()) });
      this.writing ??= this.drain();
    });
  }

  /**
   * Runs until nothing waits. `writing` is cleared in the same step as the last check (no
   * await between them), so an item handed over later always starts a new drain.
   */
  private async drain(): Promise<void> {
    await Promise.resolve(); // `writing` is set before anything below can clear it
    while (this.waiting.length > 0) {
      const group = this.waiting;
      this.waiting = [];
      try {
        await this.write(group.flatMap((w) => w.items));
        for (const w of group) w.done();
      } catch (e) {
        if (group.length === 1) group[0].done(asError(e));
        else for (const w of group) await this.alone(w);
      }
    }
    this.writing = undefined;
  }

  private async alone(w: Waiting<T>): Promise<void> {
    try {
      await this.write(w.items);
      w.done();
    } catch (e) {
      w.done(asError(e));
    }
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error('group write failed');
}
