import { type DynamicModule, Module } from '@nestjs/common';
import { LOGGER, Metrics } from '@lgsp/observability';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { PopulationConfig } from '../population.config';
import { HttpPopulationRegistry } from './http-population-registry';
import { POPULATION_REGISTRY, type PopulationRegistry } from './population-registry';
import { PostgresPopulationRegistry } from './postgres-population-registry';

/** Provides the `PopulationRegistry` the configuration names (POPULATION_REGISTRY). */
@Module({})
export class RegistryModule {
  static forConfig(config: PopulationConfig): DynamicModule {
    return {
      module: RegistryModule,
      global: true,
      providers: [
        {
          provide: POPULATION_REGISTRY,
          inject: [DataSource, Metrics, LOGGER],
          useFactory: (
            dataSource: DataSource,
            metrics: Metrics,
            logger: Logger,
          ): PopulationRegistry =>
            config.POPULATION_REGISTRY === 'http'
              ? new HttpPopulationRegistry(
                  {
                    url: config.POPULATION_REGISTRY_URL!,
                    token: config.POPULATION_REGISTRY_TOKEN,
                    timeoutMs: config.POPULATION_REGISTRY_TIMEOUT_MS,
                    retries: config.POPULATION_REGISTRY_RETRIES,
                    breakerFailures: config.POPULATION_REGISTRY_BREAKER_FAILURES,
                    breakerOpenMs: config.POPULATION_REGISTRY_BREAKER_OPEN_MS,
                  },
                  metrics,
                  logger.child({ component: 'population-registry' }),
                )
              : new PostgresPopulationRegistry(dataSource),
        },
      ],
      exports: [POPULATION_REGISTRY],
    };
  }
}
