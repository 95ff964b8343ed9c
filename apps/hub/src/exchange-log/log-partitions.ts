import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LOGGER } from '@lgsp/observability';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@lgsp/observability';
import { type LeaderLease, LeaderLeases } from '@lgsp/persistence';
// One replica at a time creates (or drops) partitions: two creating the same one would clash.
import { PARTITIONS_LOCK } from './past-month-partitions';

const MONTHS_AHEAD = 3;
const DAY_SECONDS = 86_400;

/**
 * Keeps a partition of the exchange log ready for this month and the next three, at
 * start-up and daily, so entries never have to fall into the default partition. Every
 * replica makes sure of them at start-up, before it logs anything; the daily round is the
 * `log-partitions` leader's. Each run holds a transaction lock, so replicas starting
 * together wait for each other instead of creating the same partition twice.
 */
@Injectable()
export class LogPartitions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly lease: LeaderLease;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(LeaderLeases) leases: LeaderLeases,
  ) {
    this.lease = leases.lease('log-partitions');
    this.task = new PeriodicTask(
      () => this.ensure(),
      'could not add log partitions',
      logger,
      this.lease,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure();
    await this.lease.start();
    this.task.start(DAY_SECONDS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    await this.lease.stop();
  }

  async ensure(): Promise<number> {
    const made = await this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITIONS_LOCK]);
      const [row] = await tx.query<{ made: number }[]>(
        `SELECT lgsp_ensure_log_partitions(now()::date, (now() + make_interval(months => $1))::date) AS made`,
        [MONTHS_AHEAD],
      );
      return row.made;
    });
    if (made > 0) this.logger.info({ made }, 'added exchange-log partitions');
    return made;
  }
}
