import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SuccessRate {
  from: string;
  to: string;
  service?: string;
  counts: { SUCCESS: number; FAILED: number; TIMED_OUT: number; REJECTED: number; PENDING: number };
  /** SUCCESS / (SUCCESS + FAILED + TIMED_OUT); null when nothing has completed. */
  successRate: number | null;
  /** SUCCESS / (SUCCESS + FAILED + TIMED_OUT + REJECTED). */
  overallRate: number | null;
  latencyMs: { avg: number | null; max: number | null };
}

@Injectable()
export class SuccessRateQuery {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async forWindow(from: Date, to: Date, service?: string): Promise<SuccessRate> {
    const [row]: Record<string, string | null>[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'SUCCESS')   AS success,
              count(*) FILTER (WHERE status = 'FAILED')    AS failed,
              count(*) FILTER (WHERE status = 'TIMED_OUT') AS timed_out,
              count(*) FILTER (WHERE status = 'REJECTED')  AS rejected,
              count(*) FILTER (WHERE status = 'PENDING')   AS pending,
              avg(latency_ms) FILTER (WHERE status = 'SUCCESS') AS avg_latency,
              max(latency_ms) FILTER (WHERE status = 'SUCCESS') AS max_latency
         FROM transactions
        WHERE published_at >= $1 AND published_at < $2 AND ($3::text IS NULL OR service_code = $3)`,
      [from.toISOString(), to.toISOString(), service ?? null],
    );
    const n = (k: string) => Number(row[k] ?? 0);
    const counts = {
      SUCCESS: n('success'),
      FAILED: n('failed'),
      TIMED_OUT: n('timed_out'),
      REJECTED: n('rejected'),
      PENDING: n('pending'),
    };
    const completed = counts.SUCCESS + counts.FAILED + counts.TIMED_OUT;
    const ratio = (d: number) =>
      d === 0 ? null : Math.round((counts.SUCCESS / d) * 10000) / 10000;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      service,
      counts,
      successRate: ratio(completed),
      overallRate: ratio(completed + counts.REJECTED),
      latencyMs: {
        avg: row.avg_latency === null ? null : Math.round(Number(row.avg_latency)),
        max: row.max_latency === null ? null : Number(row.max_latency),
      },
    };
  }
}
