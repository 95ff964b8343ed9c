import { Controller, Get, HttpStatus, Inject, Injectable, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiError } from '@lgsp/platform';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../access/access.guard';
import { LATENCY_BUCKETS_MS } from '../migrations/1764288000000-rollups';
import {
  EXACT_LATENCY_MAX_TRANSACTIONS,
  type ExactLatency,
  exactLatencies,
  latencyKey,
} from './exact-latencies';
import { interpolatedPercentiles } from './latency-percentiles';
import {
  type LatencySummary,
  type Stat,
  type StatCounts,
  StatsAnswer,
  SuccessRateAnswer,
} from './stats-answer.dto';

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

export type Counts = StatCounts;

interface Row {
  grp: string;
  /** The start of the series' step (series rows only). */
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

/**
 * A group's (or one step's) latencies: exact where the transactions were read, otherwise
 * from its histogram, capped at its maximum.
 */
function latencies(
  r: Row,
  counts: Counts,
  histogram: number[],
  exact: ExactLatency | undefined,
): LatencySummary {
  const avg = counts.SUCCESS ? Math.round(Number(r.latency_sum) / counts.SUCCESS) : null;
  if (exact) return { avg, ...exact };
  const max = counts.SUCCESS ? r.latency_max : null;
  return { avg, max, ...interpolatedPercentiles(histogram, max) };
}

const emptyHistogram = () => Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);

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

  async query(q: StatsQuery, filter?: { service: string }): Promise<StatsAnswer> {
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
    // Histograms per group and, for a series, per step too (the group's is their sum).
    const bucket = q.step ? `date_trunc('${q.step}', r.minute)` : 'NULL::timestamptz';
    const [totals, histograms, series] = await Promise.all([
      this.dataSource.query<Row[]>(
        `SELECT ${g} AS grp, ${sums} ${from_} WHERE ${where} GROUP BY 1 ORDER BY 1`,
        params,
      ),
      this.dataSource.query<{ grp: string; bucket: Date | null; i: number; n: string }[]>(
        `SELECT ${g} AS grp, ${bucket} AS bucket, u.i, sum(u.v) AS n
           ${from_}, unnest(r.latency_histogram) WITH ORDINALITY AS u(v, i)
          WHERE ${where} GROUP BY 1, 2, 3`,
        params,
      ),
      q.step
        ? this.dataSource.query<Row[]>(
            `SELECT ${g} AS grp, ${bucket} AS bucket, ${sums} ${from_}
              WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
            params,
          )
        : Promise.resolve([]),
    ]);
    const hist = new Map<string, number[]>();
    const add = (key: string, i: number, n: number) => {
      const h = hist.get(key) ?? emptyHistogram();
      h[i - 1] += n;
      hist.set(key, h);
    };
    for (const h of histograms) {
      add(h.grp, Number(h.i), Number(h.n));
      if (h.bucket) add(latencyKey(h.grp, h.bucket), Number(h.i), Number(h.n));
    }
    const inWindow = totals.reduce((n, t) => n + transactionsIn(countsOf(t)), 0);
    const small = totals.length > 0 && inWindow <= EXACT_LATENCY_MAX_TRANSACTIONS;
    const [exact, exactSteps] = small
      ? await Promise.all([
          exactLatencies(this.dataSource, g, unit, params),
          q.step ? exactLatencies(this.dataSource, g, unit, params, q.step) : undefined,
        ])
      : [undefined, undefined];
    const figures = (r: Row, key: string, exactOf: Map<string, ExactLatency> | undefined) => {
      const counts = countsOf(r);
      const latencyMs = latencies(r, counts, hist.get(key) ?? emptyHistogram(), exactOf?.get(key));
      return { counts, latencyMs };
    };
    const groups = totals.map((t): Stat => {
      const { counts, latencyMs } = figures(t, t.grp, exact);
      return {
        group: t.grp,
        counts,
        ...rates(counts),
        latencyMs,
        ...(q.step
          ? {
              series: series
                .filter((s) => s.grp === t.grp)
                .map((s) => {
                  const step = figures(s, latencyKey(s.grp, s.bucket), exactSteps);
                  return {
                    at: s.bucket!.toISOString(),
                    counts: step.counts,
                    successRate: rates(step.counts).successRate,
                    latencyMs: step.latencyMs,
                  };
                }),
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
  @ApiOkResponse({ description: 'Counts, rates and latencies per group.', type: StatsAnswer })
  query(@Query() q: StatsQuery): Promise<StatsAnswer> {
    return this.stats.query(q);
  }

  /** One service's success rate (the shape of one group). */
  @Get('services/:code/success-rate')
  @ApiOkResponse({ description: 'The service’s figures.', type: SuccessRateAnswer })
  async service(@Param('code') code: string, @Query() q: StatsQuery): Promise<SuccessRateAnswer> {
    const { from, to, groups } = await this.stats.query(
      { ...q, groupBy: 'service' },
      { service: code },
    );
    return { from, to, service: code, ...(groups[0] ?? emptyStat(code)) };
  }

  @Get('success-rate')
  @ApiOkResponse({ description: 'The whole hub’s figures.', type: SuccessRateAnswer })
  async hub(@Query() q: StatsQuery): Promise<SuccessRateAnswer> {
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
