import { Controller, Get, HttpStatus, Inject, Injectable, Param, Query } from '@nestjs/common';
import { ApiError } from '@lgsp/platform';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../access/access.guard';
import { LATENCY_BUCKETS_MS } from '../migrations/1764288000000-rollups';
import {
  EXACT_LATENCY_MAX_TRANSACTIONS,
  type ExactLatency,
  exactLatencies,
} from './exact-latencies';
import { interpolatedPercentiles } from './latency-percentiles';

export const GROUPINGS = ['hub', 'service', 'provider', 'consumer', 'sector'] as const;
export const STEPS = ['minute', 'hour', 'day', 'week', 'month'] as const;
type Grouping = (typeof GROUPINGS)[number];

const GROUP_EXPR: Record<Grouping, string> = {
  hub: `'hub'`,
  service: 'r.service_code',
  provider: 'r.provider',
  consumer: 'r.consumer',
  sector: `COALESCE(m.sector, r.provider)`,
};

export class StatsQuery {
  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;

  @IsOptional()
  @IsIn(GROUPINGS)
  groupBy?: Grouping;

  @IsOptional()
  @IsIn(STEPS)
  step?: (typeof STEPS)[number];
}

export interface Counts {
  SUCCESS: number;
  FAILED: number;
  TIMED_OUT: number;
  REJECTED: number;
  PENDING: number;
}

export interface Stat {
  group: string;
  counts: Counts;
  /** SUCCESS / (SUCCESS + FAILED + TIMED_OUT); null when nothing has completed. */
  successRate: number | null;
  /** Rejections counted too: SUCCESS / (SUCCESS + FAILED + TIMED_OUT + REJECTED). */
  overallRate: number | null;
  /**
   * Of successful deliveries, end to end. Percentiles are exact when the window holds at most
   * EXACT_LATENCY_MAX_TRANSACTIONS transactions; above that they are interpolated within the
   * roll-up histogram's buckets (off by at most a bucket's width). Never above `max`.
   */
  latencyMs: {
    avg: number | null;
    max: number | null;
    p50: number | null;
    p95: number | null;
    p99: number | null;
  };
  series?: { at: string; counts: Counts; successRate: number | null }[];
}

interface Row {
  grp: string;
  bucket?: Date;
  pending: string;
  success: string;
  failed: string;
  rejected: string;
  timed_out: string;
  latency_sum: string;
  latency_max: number | null;
}

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);

function countsOf(r: Row): Counts {
  return {
    SUCCESS: Number(r.success),
    FAILED: Number(r.failed),
    TIMED_OUT: Number(r.timed_out),
    REJECTED: Number(r.rejected),
    PENDING: Number(r.pending),
  };
}

function rates(c: Counts) {
  const completed = c.SUCCESS + c.FAILED + c.TIMED_OUT;
  return {
    successRate: ratio(c.SUCCESS, completed),
    overallRate: ratio(c.SUCCESS, completed + c.REJECTED),
  };
}

const transactionsIn = (c: Counts) => c.SUCCESS + c.FAILED + c.TIMED_OUT + c.REJECTED + c.PENDING;

/** Exact figures where the transactions were read; otherwise from the histogram, capped at the maximum. */
function latencies(
  max: number | null,
  histogram: number[],
  exact: ExactLatency | undefined,
): Omit<Stat['latencyMs'], 'avg'> {
  if (exact) return exact;
  return { max, ...interpolatedPercentiles(histogram, max) };
}

const DAY_MS = 86_400_000;
const ORDER = { minute: 0, hour: 1, day: 2, week: 3, month: 4 } as const;

/**
 * The roll-up table a window reads: days for a week or more, hours for six hours or more,
 * minutes below — never coarser than the series' step. The window is taken to that unit.
 */
export function resolution(
  spanMs: number,
  step?: (typeof STEPS)[number],
): 'minute' | 'hour' | 'day' {
  let unit: 'minute' | 'hour' | 'day' =
    spanMs >= 7 * DAY_MS ? 'day' : spanMs >= DAY_MS / 4 ? 'hour' : 'minute';
  if (step && ORDER[step] < ORDER[unit]) unit = step as 'minute' | 'hour';
  return unit;
}

/** Success rates, counts and latencies from the roll-ups (a small window's percentiles from its transactions). */
@Injectable()
export class Stats {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async query(
    q: StatsQuery,
    filter?: { service: string },
  ): Promise<{ from: string; to: string; resolution: string; groupBy: Grouping; groups: Stat[] }> {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
    if (from >= to)
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'HUB.INVALID_WINDOW',
        '`from` must be before `to`.',
      );
    const groupBy = q.groupBy ?? (filter ? 'service' : 'hub');
    const g = GROUP_EXPR[groupBy];
    const unit = resolution(to.getTime() - from.getTime(), q.step);
    const where = `r.minute >= date_trunc('${unit}', $1::timestamptz) AND r.minute < $2::timestamptz
                   AND ($3::text IS NULL OR r.service_code = $3)`;
    const params = [from.toISOString(), to.toISOString(), filter?.service ?? null];
    const sums = `sum(r.pending) AS pending, sum(r.success) AS success, sum(r.failed) AS failed,
                  sum(r.rejected) AS rejected, sum(r.timed_out) AS timed_out,
                  sum(r.latency_sum_ms) AS latency_sum, max(r.latency_max_ms) AS latency_max`;
    const from_ = `FROM rollups_${unit} r LEFT JOIN member_systems m ON m.code = r.provider`;
    const [totals, histograms, series] = await Promise.all([
      this.dataSource.query<Row[]>(
        `SELECT ${g} AS grp, ${sums} ${from_} WHERE ${where} GROUP BY 1 ORDER BY 1`,
        params,
      ),
      this.dataSource.query<{ grp: string; i: number; n: string }[]>(
        `SELECT ${g} AS grp, u.i, sum(u.v) AS n ${from_}, unnest(r.latency_histogram) WITH ORDINALITY AS u(v, i)
          WHERE ${where} GROUP BY 1, 2`,
        params,
      ),
      q.step
        ? this.dataSource.query<Row[]>(
            `SELECT ${g} AS grp, date_trunc('${q.step}', r.minute) AS bucket, ${sums} ${from_}
              WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
            params,
          )
        : Promise.resolve([]),
    ]);
    const inWindow = totals.reduce((n, t) => n + transactionsIn(countsOf(t)), 0);
    const exact =
      totals.length > 0 && inWindow <= EXACT_LATENCY_MAX_TRANSACTIONS
        ? await exactLatencies(this.dataSource, g, unit, params)
        : undefined;
    const groups = totals.map((t): Stat => {
      const counts = countsOf(t);
      const hist = Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
      for (const h of histograms.filter((x) => x.grp === t.grp))
        hist[Number(h.i) - 1] = Number(h.n);
      return {
        group: t.grp,
        counts,
        ...rates(counts),
        latencyMs: {
          avg: counts.SUCCESS ? Math.round(Number(t.latency_sum) / counts.SUCCESS) : null,
          ...latencies(counts.SUCCESS ? t.latency_max : null, hist, exact?.get(t.grp)),
        },
        ...(q.step
          ? {
              series: series
                .filter((s) => s.grp === t.grp)
                .map((s) => ({
                  at: s.bucket!.toISOString(),
                  counts: countsOf(s),
                  successRate: rates(countsOf(s)).successRate,
                })),
            }
          : {}),
      };
    });
    return { from: from.toISOString(), to: to.toISOString(), resolution: unit, groupBy, groups };
  }
}

@Controller()
@Roles('OPERATOR', 'AUDITOR', 'ADMIN')
export class StatsController {
  constructor(@Inject(Stats) private readonly stats: Stats) {}

  /** Any window (a minute to a year), any grouping, optionally as a time series at `step`. */
  @Get('stats')
  query(@Query() q: StatsQuery) {
    return this.stats.query(q);
  }

  /** One service's success rate (the shape of one group). */
  @Get('services/:code/success-rate')
  async service(@Param('code') code: string, @Query() q: StatsQuery) {
    const { from, to, groups } = await this.stats.query(
      { ...q, groupBy: 'service' },
      { service: code },
    );
    return { from, to, service: code, ...(groups[0] ?? emptyStat(code)) };
  }

  @Get('success-rate')
  async hub(@Query() q: StatsQuery) {
    const { from, to, groups } = await this.stats.query({ ...q, groupBy: 'hub' });
    return { from, to, ...(groups[0] ?? emptyStat('hub')) };
  }
}

function emptyStat(group: string): Stat {
  const counts = { SUCCESS: 0, FAILED: 0, TIMED_OUT: 0, REJECTED: 0, PENDING: 0 };
  return {
    group,
    counts,
    successRate: null,
    overallRate: null,
    latencyMs: { avg: null, max: null, p50: null, p95: null, p99: null },
  };
}
