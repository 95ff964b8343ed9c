import { LATENCY_BUCKETS_MS } from '../migrations/1764288000000-rollups';

export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

const QUANTILES: Record<keyof LatencyPercentiles, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/**
 * The p-th quantile (0 < p ≤ 1) of the latencies a roll-up histogram counts, in whole ms.
 *
 * A histogram only says how many latencies fell in each bucket, so the quantile is placed
 * linearly inside the bucket that holds its rank, as if that bucket's latencies were spread
 * evenly across it. Bucket i runs from the bound below it (0 for the first) to its own
 * bound, cut at the observed maximum: no latency exceeds the maximum, so no percentile
 * may either — and the last bucket, which has no bound of its own, ends there. The answer
 * is off by at most the width of that bucket; it rises with p and never exceeds `max`.
 */
export function interpolatedPercentile(
  histogram: readonly number[],
  max: number | null,
  p: number,
  bounds: readonly number[] = LATENCY_BUCKETS_MS,
): number | null {
  // A count below zero would be a roll-up mid-correction; it holds no latency.
  const counts = histogram.map((n) => Math.max(0, n));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const cap = max === null ? Infinity : Math.max(0, max);
  const rank = p * total;
  let below = 0;
  for (const [i, n] of counts.entries()) {
    if (n > 0 && below + n >= rank) {
      const floor = i === 0 ? 0 : bounds[i - 1];
      // Without a known maximum, the last bucket can only be placed at its floor.
      const upper = Math.min(bounds[i] ?? (max === null ? floor : cap), cap);
      const lower = Math.min(floor, upper);
      return Math.round(lower + ((rank - below) / n) * (upper - lower));
    }
    below += n;
  }
  return null; // only for p > 1
}

/** p50, p95 and p99 of a roll-up histogram; see `interpolatedPercentile`. */
export function interpolatedPercentiles(
  histogram: readonly number[],
  max: number | null,
): LatencyPercentiles {
  const at = (q: keyof LatencyPercentiles) => interpolatedPercentile(histogram, max, QUANTILES[q]);
  return { p50: at('p50'), p95: at('p95'), p99: at('p99') };
}
