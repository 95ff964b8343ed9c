import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LOGGER, PeriodicTask } from '@lgsp/observability';
import { type LeaderLease, LeaderLeases } from '@lgsp/persistence';
import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { archiveBefore, type MonthArchived } from './log-archive';
import { SealKeyring } from './seal-signature';

export const LOG_RETENTION = Symbol('LOG_RETENTION');

export interface LogRetentionSettings {
  /** Months kept besides the current one; 0: for ever. */
  months: number;
  dir: string;
}

/** Hourly: a month becomes due once a month, and a new leader picks it up within the hour. */
const CHECK_SECONDS = 3600;

/**
 * Archives the months of the exchange log older than the retention (see log-archive.ts). Only
 * the `retention` leader does it; with a retention of 0 nothing is archived and no lease is
 * taken.
 */
@Injectable()
export class LogRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly lease: LeaderLease;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOG_RETENTION) private readonly settings: LogRetentionSettings,
    @Inject(SealKeyring) private readonly keyring: SealKeyring,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(LeaderLeases) leases: LeaderLeases,
  ) {
    this.lease = leases.lease('retention');
    this.task = new PeriodicTask(
      () => this.archiveDue(),
      'could not archive old log months; will retry',
      logger,
      this.lease,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.months === 0) return;
    await this.lease.start();
    this.task.start(CHECK_SECONDS, 60);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    await this.lease.stop();
  }

  /** Archives every month older than the retention; returns what became of each. */
  async archiveDue(): Promise<MonthArchived[]> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      const { rows } = await client.query<{ before: Date }>(
        `SELECT date_trunc('month', now()) - make_interval(months => $1) AS before`,
        [this.settings.months],
      );
      const done = await archiveBefore(client, rows[0].before, this.settings.dir, this.keyring);
      for (const m of done) {
        const what =
          'skipped' in m
            ? 'left a month of the exchange log for later'
            : 'archived a month of the exchange log';
        this.logger.info(m, what);
      }
      return done;
    } finally {
      await runner.release();
    }
  }
}
