import { Controller, Get, HttpStatus, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiError } from '@lgsp/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../access/access.guard';
import { DELIVERY_DEADLINE_SECONDS } from '../exchange-log/delivery-deadlines';
import { StoredValues } from '../privacy/stored-values';
import { Case, StuckCase } from './case.dto';

interface StepRow {
  event_id: string;
  kind: string;
  event_type: string | null;
  service_code: string | null;
  provider: string | null;
  occurred_at: Date;
  error_code: string | null;
  reason: string | null;
}

interface DeliveryRow {
  event_id: string;
  consumer: string;
  status: string;
  error_code: string | null;
  reason: string | null;
  latency_ms: number | null;
  completed_at: Date | null;
  late: boolean;
}

export class CasesQuery {
  @IsIn(['stuck'])
  status: 'stuck';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/**
 * A case is every event and delivery that shares one correlation id: a whole chain
 * (birth → residence → card). Its status is where it stands now: COMPLETE, IN_PROGRESS,
 * STUCK (a delivery waiting past its deadline) or FAILED (a delivery failed or refused).
 */
@Controller('cases')
@Roles('OPERATOR', 'AUDITOR', 'ADMIN')
export class CasesController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DELIVERY_DEADLINE_SECONDS) private readonly deadlineSeconds: number,
    @Inject(StoredValues) private readonly values: StoredValues,
  ) {}

  /** A case by its correlation id as the hub stores it, or as the systems gave it. */
  @Get(':correlationId')
  @ApiOkResponse({ type: Case })
  async case(@Param('correlationId') correlationId: string) {
    const ids = this.values.searchedIds(correlationId);
    const [steps, deliveries] = await Promise.all([
      this.dataSource.query<StepRow[]>(
        `SELECT event_id, kind, event_type, service_code, provider, occurred_at, error_code, reason
           FROM log_entries WHERE correlation_id = ANY($1) AND kind IN ('PUBLISHED', 'REJECTED')
          ORDER BY occurred_at, id`,
        [ids],
      ),
      this.dataSource.query<DeliveryRow[]>(
        `SELECT event_id, consumer, status, error_code, reason, latency_ms, completed_at, late
           FROM transactions WHERE correlation_id = ANY($1) ORDER BY published_at, consumer`,
        [ids],
      ),
    ]);
    if (steps.length === 0 && deliveries.length === 0) {
      throw new ApiError(HttpStatus.NOT_FOUND, 'HUB.CASE_NOT_FOUND', `No case ${correlationId}.`);
    }
    const byEvent = new Map<string, DeliveryRow[]>();
    for (const d of deliveries) byEvent.set(d.event_id, [...(byEvent.get(d.event_id) ?? []), d]);
    const times = [
      ...steps.map((s) => s.occurred_at),
      ...deliveries.flatMap((d) => (d.completed_at ? [d.completed_at] : [])),
    ];
    const startedAt = new Date(Math.min(...times.map((t) => t.getTime())));
    const lastActivityAt = new Date(Math.max(...times.map((t) => t.getTime())));
    const problem = deliveries.find((d) => d.status === 'FAILED' || d.status === 'REJECTED');
    const waiting = deliveries.find((d) => d.status === 'PENDING' || d.status === 'TIMED_OUT');
    const stale = Date.now() - lastActivityAt.getTime() > this.deadlineSeconds * 1000;
    const status = problem
      ? 'FAILED'
      : waiting
        ? waiting.status === 'TIMED_OUT' || stale
          ? 'STUCK'
          : 'IN_PROGRESS'
        : 'COMPLETE';
    const stop = problem ?? (status === 'STUCK' ? waiting : undefined);
    return {
      correlationId,
      status,
      startedAt,
      lastActivityAt,
      durationMs: lastActivityAt.getTime() - startedAt.getTime(),
      stoppedAt: stop && {
        eventId: stop.event_id,
        consumer: stop.consumer,
        status: stop.status,
        errorCode: stop.error_code,
        reason: stop.reason,
      },
      steps: steps.map((s) => ({
        eventId: s.event_id,
        eventType: s.event_type,
        service: s.service_code,
        provider: s.provider,
        at: s.occurred_at,
        ...(s.kind === 'REJECTED'
          ? { rejected: { errorCode: s.error_code, reason: s.reason } }
          : {}),
        deliveries: (byEvent.get(s.event_id) ?? []).map((d) => ({
          consumer: d.consumer,
          status: d.status,
          errorCode: d.error_code,
          reason: d.reason,
          latencyMs: d.latency_ms,
          completedAt: d.completed_at,
          late: d.late,
        })),
      })),
    };
  }

  /** Cases with a delivery still waiting, and no progress within the delivery deadline. */
  @Get()
  @ApiOkResponse({ description: 'Oldest activity first.', type: [StuckCase] })
  stuck(
    @Query() q: CasesQuery,
  ): Promise<{ correlationId: string; lastActivityAt: Date; waitingDeliveries: number }[]> {
    return this.dataSource.query(
      `SELECT correlation_id AS "correlationId",
              max(COALESCE(completed_at, published_at)) AS "lastActivityAt",
              count(*) FILTER (WHERE status IN ('PENDING', 'TIMED_OUT'))::int AS "waitingDeliveries"
         FROM transactions
        WHERE correlation_id IS NOT NULL
        GROUP BY correlation_id
       HAVING count(*) FILTER (WHERE status IN ('PENDING', 'TIMED_OUT')) > 0
          AND max(COALESCE(completed_at, published_at)) < now() - make_interval(secs => $1)
        ORDER BY 2 LIMIT $2`,
      [this.deadlineSeconds, q.limit ?? 100],
    );
  }
}

/** How far the card–ID link has come, counted per link request, from the exchange log. */
@Controller('reports')
@Roles('OPERATOR', 'AUDITOR', 'ADMIN')
export class ReportsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get('card-links')
  async cardLinks() {
    const [row] = await this.dataSource.query<Record<string, string>[]>(
      `SELECT count(*) FILTER (WHERE event_type = 'insurance.card-link-requested.v1') AS requested,
              count(*) FILTER (WHERE event_type = 'population.card-link-verified.v1' AND outcome = 'MATCH') AS linked,
              count(*) FILTER (WHERE event_type = 'population.card-link-verified.v1' AND outcome = 'MISMATCH') AS mismatched,
              count(*) FILTER (WHERE event_type = 'population.card-link-verified.v1' AND outcome = 'NOT_FOUND') AS not_found
         FROM log_entries
        WHERE kind = 'PUBLISHED'
          AND event_type IN ('insurance.card-link-requested.v1', 'population.card-link-verified.v1')`,
    );
    const n = (k: string) => Number(row[k]);
    const requested = n('requested');
    const linked = n('linked');
    return {
      requested,
      linked,
      mismatched: n('mismatched'),
      notFound: n('not_found'),
      awaitingVerification: requested - linked - n('mismatched') - n('not_found'),
      linkedShare: requested ? Math.round((linked / requested) * 10000) / 10000 : null,
    };
  }
}
