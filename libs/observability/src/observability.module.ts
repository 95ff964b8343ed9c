import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { HealthController, HealthRegistry } from './health';
import { Metrics, MetricsController } from './metrics';

export const LOGGER = Symbol('LOGGER');

@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(opts: { service: string; logger: Logger }): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController, MetricsController],
      providers: [
        HealthRegistry,
        { provide: Metrics, useValue: new Metrics(opts.service) },
        { provide: LOGGER, useValue: opts.logger },
      ],
      exports: [HealthRegistry, Metrics, LOGGER],
    };
  }
}
