import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthRegistry } from '@lgsp/observability';
import { DataSource } from 'typeorm';
import { type DatabaseDefinition, type DatabaseTimeouts, dataSourceOptions } from './database';

@Module({})
export class PersistenceModule implements OnModuleInit {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  static forRoot(url: string, def: DatabaseDefinition, timeouts?: DatabaseTimeouts): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url, def, timeouts),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
      ],
    };
  }

  onModuleInit(): void {
    this.health.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}
