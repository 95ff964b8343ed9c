import type { StatPoint } from '../api/types';

const EMPTY_COUNTS = { SUCCESS: 0, FAILED: 0, TIMED_OUT: 0, REJECTED: 0, PENDING: 0 };
const NO_LATENCY = { avg: null, max: null, p50: null, p95: null, p99: null };

/**
 * A series with a point for every step of the window, empty where nothing was published,
 * so that a chart's x axis is time. The hub answers only the steps that hold transactions.
 * A series whose steps are not on the grid (a time zone off by a fraction of an hour) is
 * left as it is.
 */
export function everyStep(
  series: StatPoint[],
  fromMs: number,
  toMs: number,
  stepMs: number,
): StatPoint[] {
  const byStart = new Map(series.map((p) => [Date.parse(p.at), p]));
  if ([...byStart.keys()].some((at) => at % stepMs !== 0)) return series;
  const points: StatPoint[] = [];
  for (let at = Math.floor(fromMs / stepMs) * stepMs; at < toMs; at += stepMs)
    points.push(
      byStart.get(at) ?? {
        at: new Date(at).toISOString(),
        counts: EMPTY_COUNTS,
        successRate: null,
        latencyMs: NO_LATENCY,
      },
    );
  return points;
}
