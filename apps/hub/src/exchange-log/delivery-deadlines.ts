import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LOGGER, Metrics } from '@lgsp/observability';
import { returning } from '@lgsp/persistence';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@lgsp/observability';

export const DELIVERY_DEADLINE_SECONDS = Symbol('DELIVERY_DEADLINE_SECONDS');
export const DEADLINE_CHECK_SECONDS = Symbol('DEADLINE_CHECK_SECONDS');

/** Lock id: one hub replica at a time marks timeouts. */
const DEADLINE_LOCK = 724_155_002;

/**
 * Marks a transaction that has had no receipt within the delivery deadline as TIMED_OUT.
 * A receipt that comes later still closes it, and marks it late.
 */
@Injectable()
export class DeliveryDeadlines implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly timedOut;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DELIVERY_DEADLINE_SECONDS) private readonly deadlineSeconds: number,
    @Inject(DEADLINE_CHECK_SECONDS) private readonly checkSeconds: number,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Metrics) metrics: Metrics,
  ) {
    this.timedOut = metrics.counter({
      name: 'lgsp_transactions_timed_out_total',
      help: 'Transactions marked TIMED_OUT for want of a receipt within the delivery deadline',
    });
    this.task = new PeriodicTask(
      async () => {
        const n = await this.markTimedOut();
        if (n > 0)
          this.logger.warn(
            { count: n, deadlineSeconds: this.deadlineSeconds },
            'transactions timed out',
          );
      },
      'deadline check failed',
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(this.checkSeconds);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One pass; returns how many transactions it marked. */
  async markTimedOut(): Promise<number> {
    const n = await this.dataSource.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [DEADLINE_LOCK],
      );
      if (!locked) return 0;
      const rows = await returning(
        tx,
        `UPDATE transactions SET status = 'TIMED_OUT', timed_out_at = now()
          WHERE status = 'PENDING' AND published_at < now() - make_interval(secs => $1)
          RETURNING 1`,
        [this.deadlineSeconds],
      );
      return rows.length;
    });
    this.timedOut.inc(n);
    return n;
  }
}
