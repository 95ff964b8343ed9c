/**
 * The arithmetic of the flow benchmark, kept free of I/O so that it can be checked on its
 * own: percentiles, rates from timestamps, the steady part of a window, and the schedule
 * of the paced phases.
 */

/**
 * The p-th percentile (0..1) of ascending values, interpolated between the two nearest
 * ranks like PostgreSQL's `percentile_cont`, so that figures computed here and in SQL agree
 * and no percentile ever exceeds the maximum.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/**
 * How many of `timesMs` fall in each whole second of [fromMs, toMs): bucket i counts
 * [from + i s, from + (i + 1) s). Times outside the window are left out; a last, partial
 * second is kept as a bucket of its own, so that the counts add up to what the window holds.
 */
export function perSecond(timesMs: readonly number[], fromMs: number, toMs: number): number[] {
  const counts = new Array<number>(Math.max(0, Math.ceil((toMs - fromMs) / 1000))).fill(0);
  for (const t of timesMs) {
    if (t < fromMs || t >= toMs) continue;
    counts[Math.floor((t - fromMs) / 1000)]++;
  }
  return counts;
}

/**
 * The steady middle of a series of per-second counts: the first quarter is warm-up (JIT,
 * connection pools, consumers reaching their fetch rhythm) and the last tenth the ending,
 * so neither says what the system sustains. A series too short to trim is kept whole.
 */
export function steadyMiddle(counts: readonly number[]): number[] {
  const middle = counts.slice(
    Math.floor(counts.length * 0.25),
    counts.length - Math.floor(counts.length * 0.1),
  );
  return middle.length > 0 ? middle : [...counts];
}

export interface RateSummary {
  mean: number;
  median: number;
  min: number;
  max: number;
  seconds: number;
}

export function summariseRates(counts: readonly number[]): RateSummary | null {
  if (counts.length === 0) return null;
  const sorted = [...counts].sort((a, b) => a - b);
  return {
    mean: round1(mean(sorted) ?? 0),
    median: round1(percentile(sorted, 0.5) ?? 0),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    seconds: counts.length,
  };
}

/**
 * Records due at `elapsedMs` on a paced schedule of `perSecond`, beyond the `sent` ones:
 * the schedule is fixed from the start, so a late tick catches up instead of drifting.
 */
export function dueNow(perSecond: number, elapsedMs: number, sent: number): number {
  return Math.max(0, Math.floor((perSecond * elapsedMs) / 1000) - sent);
}

/**
 * Half of the measured maximum, in records per second: logged transactions per second,
 * halved, over the transactions one record opens (three for a birth).
 */
export function halfLoadRate(loggedTxPerSecond: number, txPerRecord: number): number {
  if (!(loggedTxPerSecond > 0) || !(txPerRecord > 0)) return 0;
  return Math.max(1, Math.round(loggedTxPerSecond / 2 / txPerRecord));
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
