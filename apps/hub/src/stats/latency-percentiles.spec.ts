import fc from 'fast-check';
import { LATENCY_BUCKETS_MS } from '../migrations/1764288000000-rollups';
import { interpolatedPercentile, interpolatedPercentiles } from './latency-percentiles';

// Bucket i holds latencies above bound i-1 up to bound i, as lgsp_latency_bucket files them.
const bucketOf = (ms: number) => LATENCY_BUCKETS_MS.filter((b) => ms > b).length;

function histogramOf(latencies: number[]): number[] {
  const h = Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const ms of latencies) h[bucketOf(ms)] += 1;
  return h;
}

/** The exact percentile by nearest rank: the value at position ⌈p·n⌉ of the sorted latencies. */
function nearestRank(latencies: number[], p: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

/** The edges a percentile must stay within: those of the bucket holding the exact value. */
function edgesAround(exact: number, max: number): [number, number] {
  const i = bucketOf(exact);
  return [i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1], Math.min(LATENCY_BUCKETS_MS[i] ?? max, max)];
}

describe('latency percentiles interpolated within roll-up histogram buckets', () => {
  // 97, 194, … 9,700 ms: exact p50 4,850, p95 9,215, p99 9,603; max 9,700.
  const latencies = Array.from({ length: 100 }, (_, i) => 97 * (i + 1));
  const histogram = histogramOf(latencies);

  it('lands close to the exact percentiles of 100 known latencies, in the bucket holding each', () => {
    const p = interpolatedPercentiles(histogram, 9700);
    expect(p).toEqual({ p50: 4904, p95: 9220, p99: 9604 });
    for (const [q, value] of [
      [0.5, p.p50],
      [0.95, p.p95],
      [0.99, p.p99],
    ] as const) {
      const [lower, upper] = edgesAround(nearestRank(latencies, q), 9700);
      expect(value).toBeGreaterThanOrEqual(lower);
      expect(value).toBeLessThanOrEqual(upper);
    }
  });

  it('never reports a percentile above the maximum (a group whose maximum was 9,700 ms)', () => {
    const allIn5to10s = histogramOf([5200, 8100, 9700]);
    const p = interpolatedPercentiles(allIn5to10s, 9700);
    expect(p.p50).toBeGreaterThan(5000);
    expect(p.p99).toBeLessThanOrEqual(9700);
    expect(p.p50).toBeLessThanOrEqual(p.p95!);
    expect(p.p95).toBeLessThanOrEqual(p.p99!);
  });

  it('ends the last, unbounded bucket at the maximum', () => {
    const slow = histogramOf([301_000, 350_000, 400_000]);
    expect(interpolatedPercentile(slow, 400_000, 0.99)).toBeGreaterThan(300_000);
    expect(interpolatedPercentile(slow, 400_000, 0.99)).toBeLessThanOrEqual(400_000);
  });

  it('is null with no latencies', () => {
    expect(interpolatedPercentiles(histogramOf([]), null)).toEqual({
      p50: null,
      p95: null,
      p99: null,
    });
  });

  it('for any latencies: within the exact value’s bucket, p50 ≤ p95 ≤ p99 ≤ max', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 500_000 }), { minLength: 1, maxLength: 300 }), (ls) => {
        const max = Math.max(...ls);
        const p = interpolatedPercentiles(histogramOf(ls), max);
        const values = [p.p50!, p.p95!, p.p99!];
        for (const [k, q] of [0.5, 0.95, 0.99].entries()) {
          const [lower, upper] = edgesAround(nearestRank(ls, q), max);
          if (values[k] < lower || values[k] > upper) return false;
        }
        return (
          0 <= values[0] && values[0] <= values[1] && values[1] <= values[2] && values[2] <= max
        );
      }),
    );
  });
});
