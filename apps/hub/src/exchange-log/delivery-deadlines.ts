import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KAFKA, readHorizon, readProgress } from '@lgsp/messaging';
import { LOGGER, Metrics } from '@lgsp/observability';
import { type LeaderLease, LeaderLeases, returning } from '@lgsp/persistence';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@lgsp/observability';

export const DELIVERY_DEADLINE_SECONDS = Symbol('DELIVERY_DEADLINE_SECONDS');
export const DEADLINE_CHECK_SECONDS = Symbol('DEADLINE_CHECK_SECONDS');

/** Lock id: one pass at a time, even from two replicas that both believe they lead. */
const DEADLINE_LOCK = 724_155_002;

/**
 * Marks a transaction that has had no receipt within the delivery deadline as TIMED_OUT.
 * A receipt that comes later still closes it, and marks it late. The deadline is counted
 * against the hub's read horizon, not the clock: while the hub is behind on a partition, a
 * receipt may be waiting there, so a transaction times out only once the hub has read
 * everything up to its deadline. One replica marks them: the one holding the
 * `delivery-deadlines` lease (a transaction lock stays as a second line). Each pass reads
 * only the transactions published since the previous pass's cut-off (`deadline_watermark`),
 * through the index on `published_at`, and those opened already past their deadline (an
 * event read late, behind a relay's or the broker's backlog, or from a producer whose clock
 * is behind), flagged `opened_late`: `status` has no index, so that receipts update their
 * transactions in place (HOT).
 */
@Injectable()
export class DeliveryDeadlines implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly lease: LeaderLease;
  private readonly timedOut;
  private readonly behind;
  private admin?: Admin;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DELIVERY_DEADLINE_SECONDS) private readonly deadlineSeconds: number,
    @Inject(DEADLINE_CHECK_SECONDS) private readonly checkSeconds: number,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Metrics) metrics: Metrics,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(LeaderLeases) leases: LeaderLeases,
  ) {
    this.timedOut = metrics.counter({
      name: 'lgsp_transactions_timed_out_total',
      help: 'Transactions marked TIMED_OUT for want of a receipt within the delivery deadline',
    });
    this.behind = metrics.gauge({
      name: 'lgsp_deadline_horizon_behind_seconds',
      help: 'How far behind the clock the hub has read every partition: deadlines are counted up to there',
    });
    this.lease = leases.lease('delivery-deadlines');
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
      this.lease,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.lease.start();
    this.task.start(this.checkSeconds);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    await this.lease.stop();
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** Up to when the hub has read everything it consumes (undefined: not known yet). */
  private async horizon(): Promise<number | undefined> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const now = Date.now();
    const horizon = await readHorizon(this.admin, readProgress, now);
    if (horizon !== undefined) this.behind.set((now - horizon) / 1000);
    return horizon;
  }

  /** One pass; returns how many transactions it marked. */
  async markTimedOut(): Promise<number> {
    const horizon = await this.horizon();
    if (horizon === undefined) return 0;
    const n = await this.dataSource.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [DEADLINE_LOCK],
      );
      if (!locked) return 0;
      // What was published before the watermark was checked by an earlier pass, so a pass
      // reads what was published since (an hour of it at most), and what was opened already
      // past its deadline (flagged when opened, whenever its event was read).
      // An hour from the first transaction at or after the watermark (none: up to the cut-off).
      const [{ until }] = await tx.query<{ until: Date }[]>(
        `WITH cutoff AS (SELECT to_timestamp($2::float8 / 1000) - make_interval(secs => $1) AS c)
         SELECT LEAST(c, COALESCE((SELECT min(published_at) FROM transactions
                                    WHERE published_at >= w.checked_until), c) + interval '1 hour') AS until
           FROM deadline_watermark w, cutoff`,
        [this.deadlineSeconds, horizon],
      );
      const rows = await returning(
        tx,
        `UPDATE transactions SET status = 'TIMED_OUT', timed_out_at = now(), opened_late = false
          WHERE status = 'PENDING' AND published_at < $1
            AND (published_at >= (SELECT checked_until FROM deadline_watermark) OR opened_late)
          RETURNING 1`,
        [until],
      );
      await tx.query('UPDATE deadline_watermark SET checked_until = GREATEST(checked_until, $1)', [
        until,
      ]);
      return rows.length;
    });
    this.timedOut.inc(n);
    return n;
  }
}
