import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthRegistry, LOGGER, Metrics } from '@lgsp/observability';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { type DatabaseDefinition, type DatabaseTimeouts, dataSourceOptions } from './database';
import { BoundedDataSource } from './bounded-data-source';
import { VacuumUpkeep } from './vacuum-upkeep';
import { LeaderLeases } from './leader-lease';

const VACUUM_INTERVAL = Symbol('VACUUM_INTERVAL');

@Module({})
export class PersistenceModule
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly vacuum: VacuumUpkeep;

  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOGGER) logger: Logger,
    @Inject(VACUUM_INTERVAL) private readonly vacuumSeconds: number,
  ) {
    this.vacuum = new VacuumUpkeep(dataSource, logger.child({ component: 'vacuum' }));
  }

  static forRoot(url: string, def: DatabaseDefinition, timeouts?: DatabaseTimeouts): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(url, def, timeouts),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: (options) => new BoundedDataSource(options!).initialize(),
        }),
      ],
      providers: [
        { provide: VACUUM_INTERVAL, useValue: timeouts?.vacuumIntervalSeconds ?? 0 },
        {
          // Leases hold connections of their own, outside the pool.
          provide: LeaderLeases,
          useFactory: (logger: Logger, metrics: Metrics) =>
            new LeaderLeases({
              databaseUrl: url,
              logger: logger.child({ component: 'leader-lease' }),
              metrics,
            }),
          inject: [LOGGER, Metrics],
        },
      ],
      exports: [LeaderLeases],
    };
  }

  onModuleInit(): void {
    this.health.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }

  onApplicationBootstrap(): void {
    this.vacuum.start(this.vacuumSeconds);
  }

  onApplicationShutdown(): Promise<void> {
    return this.vacuum.stop();
  }
}
