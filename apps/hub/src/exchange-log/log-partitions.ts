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

const MONTHS_AHEAD = 3;
const DAY_SECONDS = 86_400;

/**
 * Keeps a partition of the exchange log ready for this month and the next three, at
 * start-up and daily, so entries never have to fall into the default partition.
 */
@Injectable()
export class LogPartitions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.task = new PeriodicTask(() => this.ensure(), 'could not add log partitions', logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure();
    this.task.start(DAY_SECONDS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  async ensure(): Promise<number> {
    const [{ made }] = await this.dataSource.query<{ made: number }[]>(
      `SELECT lgsp_ensure_log_partitions(now()::date, (now() + make_interval(months => $1))::date) AS made`,
      [MONTHS_AHEAD],
    );
    if (made > 0) this.logger.info({ made }, 'added exchange-log partitions');
    return made;
  }
}
