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
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
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
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.markTimedOut()
        .then((n) => {
          if (n > 0)
            this.logger.warn(
              { count: n, deadlineSeconds: this.deadlineSeconds },
              'transactions timed out',
            );
        })
        .catch((e: unknown) =>
          this.logger.warn({ err: (e as Error).message }, 'deadline check failed'),
        )
        .finally(() => (this.running = undefined));
    }, this.checkSeconds * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
