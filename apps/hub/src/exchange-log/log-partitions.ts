import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LOGGER } from '@lgsp/observability';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

const MONTHS_AHEAD = 3;
const DAY_MS = 86_400_000;

/**
 * Keeps a partition of the exchange log ready for this month and the next three, at
 * start-up and daily, so entries never have to fall into the default partition.
 */
@Injectable()
export class LogPartitions implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure();
    this.timer = setInterval(() => {
      this.ensure().catch((e: unknown) =>
        this.logger.warn({ err: (e as Error).message }, 'could not add log partitions'),
      );
    }, DAY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
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
