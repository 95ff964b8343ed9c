/**
 * Polls `probe` until it returns a value that is not undefined (or stops throwing),
 * failing with the last reason once the deadline passes. Used instead of sleeps.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const reason = last instanceof Error ? last.message : String(last);
      throw new Error(`${what} not met within ${timeoutMs} ms (last: ${reason})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
