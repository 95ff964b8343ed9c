/** How a bounded wait ended. */
export type Settled = 'done' | 'failed' | 'timed-out';

/**
 * Waits for `work` at most `ms` milliseconds and says how the wait ended; it never throws.
 * Shutdown steps use it so that one that hangs — a broker or a database that no longer
 * answers, whose client keeps retrying — cannot hold up the steps after it. The work itself
 * is not cancelled: the process is leaving, and what it would still have done is redone by
 * the next one (offsets not committed are read again, outbox rows not deleted are sent again).
 */
export async function settleWithin(
  work: Promise<unknown> | undefined,
  ms: number,
): Promise<Settled> {
  if (work === undefined) return 'done';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        (): Settled => 'done',
        (): Settled => 'failed',
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
