import type { DataSource } from 'typeorm';
import type { LatencyPercentiles } from './latency-percentiles';

/**
 * Up to this many transactions in a window (all statuses, in the scope asked for), its
 * latency percentiles come from the transactions themselves rather than the histograms.
 * Reading them is an index range scan of at most that many rows and a sort of as many
 * integers — a few milliseconds, well inside the 50 ms a success-rate query may take —
 * and small windows are where a bucket's width would show the most.
 */
export const EXACT_LATENCY_MAX_TRANSACTIONS = 10_000;

export type ExactLatency = LatencyPercentiles & { max: number | null };

/**
 * Exact p50/p95/p99 (`percentile_cont`) and maximum of successful deliveries per group,
 * over the same transactions as the roll-ups of the window: published from the start of
 * the unit holding `from` ($1) up to the end of the unit holding `to` ($2), optionally of
 * one service ($3). `group` is the grouping expression over `r` (transactions) and `m`
 * (the provider's member system), as for the roll-ups. With `step`, per group and step of
 * the series (keyed by `latencyKey(group, start of the step)`), the steps cut as the
 * roll-ups' series are. A latency recorded below zero (before clock skew was corrected)
 * counts as zero.
 */
export async function exactLatencies(
  dataSource: DataSource,
  group: string,
  unit: 'minute' | 'hour' | 'day',
  params: unknown[],
  step?: 'minute' | 'hour' | 'day' | 'week' | 'month',
): Promise<Map<string, ExactLatency>> {
  const bucket = step ? `date_trunc('${step}', r.published_at)` : 'NULL::timestamptz';
  const rows = await dataSource.query<
    { grp: string; bucket: Date | null; max: number | null; p: number[] | null }[]
  >(
    `SELECT ${group} AS grp, ${bucket} AS bucket, max(r.latency_ms) AS max,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY r.latency_ms) AS p
       FROM (SELECT COALESCE(service_code, '') AS service_code, COALESCE(provider, '') AS provider,
                    consumer, published_at, GREATEST(latency_ms, 0) AS latency_ms
               FROM transactions
              WHERE status = 'SUCCESS' AND latency_ms IS NOT NULL
                AND published_at >= date_trunc('${unit}', $1::timestamptz)
                AND published_at < date_trunc('${unit}', $2::timestamptz) + interval '1 ${unit}'
                AND date_trunc('${unit}', published_at) < $2::timestamptz
                AND ($3::text IS NULL OR service_code = $3)) r
       LEFT JOIN member_systems m ON m.code = r.provider
      GROUP BY 1, 2`,
    params,
  );
  const ms = (v: number | undefined) => (v === undefined ? null : Math.round(v));
  return new Map(
    rows.map((r) => [
      latencyKey(r.grp, r.bucket ?? undefined),
      { max: r.max, p50: ms(r.p?.[0]), p95: ms(r.p?.[1]), p99: ms(r.p?.[2]) },
    ]),
  );
}

/** The key of a group's figures (`at`: of one step of its series). */
export const latencyKey = (group: string, at?: Date): string =>
  at ? `${group}|${at.toISOString()}` : group;
