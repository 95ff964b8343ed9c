import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { fullDatabase, type ServiceDefinition } from '@lgsp/platform';
import { createLogger } from '@lgsp/observability';
import { rebuildLog } from './exchange-log/rebuild-log';
import { readFileSync } from 'node:fs';
import { AccessGuard, ADMIN_KEY, Authenticator } from './access/access.guard';
import { Credential } from './access/credential.entity';
import { CredentialsController } from './access/credentials.controller';
import { CredentialsService } from './access/credentials.service';
import { CatalogueAdminController } from './catalogue/catalogue-admin.controller';
import { CatalogueController } from './catalogue/catalogue.controller';
import {
  CatalogueService,
  CatalogueVersion,
  MemberSystem,
  Subscription,
} from './catalogue/catalogue.entities';
import {
  Catalogue,
  CATALOGUE_FILE,
  type CatalogueFile,
  DEFAULT_CATALOGUE,
} from './catalogue/catalogue.service';
import { EventTypesController } from './catalogue/event-types.controller';
import { ExchangeLogConsumer } from './exchange-log/exchange-log.consumer';
import { ExchangeTransaction, LogEntry } from './exchange-log/exchange-log.entities';
import { RecordExchangeUseCase } from './exchange-log/record-exchange.use-case';
import { LogController } from './exchange-log/log.controller';
import { LogPartitions } from './exchange-log/log-partitions';
import {
  DEADLINE_CHECK_SECONDS,
  DELIVERY_DEADLINE_SECONDS,
  DeliveryDeadlines,
} from './exchange-log/delivery-deadlines';
import { CasesController, ReportsController } from './cases/cases';
import { ROLLUP_ENTITIES } from './stats/rollup.entity';
import { Stats, StatsController } from './stats/stats';
import { AuditController, SUBJECT_HASH_KEY } from './audit/audit.controller';
import { AuditQuery } from './audit/audit-query.entity';
import { SealRow } from './audit/seal.entity';
import { SEAL_SETTINGS, Sealer } from './audit/sealing';
import { VerifyLog } from './audit/verify-log';
import { Seals1764374400000 } from './migrations/1764374400000-seals';
import { MonthlyPartitions1764460800000 } from './migrations/1764460800000-monthly-partitions';
import { HourlyDailyRollups1764547200000 } from './migrations/1764547200000-hourly-daily-rollups';
import { FasterLatencyBucket1764633600000 } from './migrations/1764633600000-faster-latency-bucket';
import { RollupsPerStatement1764720000000 } from './migrations/1764720000000-rollups-per-statement';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLetters } from './dead-letters/replay-dead-letters.use-case';
import { TransactionsController } from './exchange-log/transactions.controller';
import { PublishEventUseCase } from './ingress/publish-event.use-case';
import { PublishController } from './ingress/publish.controller';
import { HubConfig } from './hub.config';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';
import { DeadLetters1763942400000 } from './migrations/1763942400000-dead-letters';
import { CatalogueAdmin1763856000000 } from './migrations/1763856000000-catalogue-admin';
import { DeliveryTracking1764028800000 } from './migrations/1764028800000-delivery-tracking';
import { CasesAndOutcomes1764201600000 } from './migrations/1764201600000-cases-and-outcomes';
import { Rollups1764288000000 } from './migrations/1764288000000-rollups';

@Module({
  controllers: [
    CatalogueController,
    CatalogueAdminController,
    EventTypesController,
    CredentialsController,
    PublishController,
    TransactionsController,
    LogController,
    DeadLettersController,
    CasesController,
    StatsController,
    AuditController,
    ReportsController,
    ExchangeLogConsumer,
  ],
  providers: [
    Catalogue,
    CredentialsService,
    Authenticator,
    { provide: APP_GUARD, useClass: AccessGuard },
    PublishEventUseCase,
    RecordExchangeUseCase,
    Stats,
    Sealer,
    LogPartitions,
    VerifyLog,
    DeliveryDeadlines,
    DeadLetters,
  ],
})
class HubModule {}

function catalogueFile(config: HubConfig): CatalogueFile {
  if (!config.CATALOGUE_FILE) return DEFAULT_CATALOGUE;
  return JSON.parse(readFileSync(config.CATALOGUE_FILE, 'utf8')) as CatalogueFile;
}

export const hubService: ServiceDefinition<HubConfig> = {
  name: 'hub',
  system: 'hub',
  configClass: HubConfig,
  defaults: { PORT: '3000', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lgsp_hub' },
  database: {
    entities: [
      MemberSystem,
      CatalogueService,
      Subscription,
      CatalogueVersion,
      Credential,
      LogEntry,
      ExchangeTransaction,
      ...ROLLUP_ENTITIES,
      SealRow,
      AuditQuery,
    ],
    migrations: [
      InitialSchema1763769600000,
      CatalogueAdmin1763856000000,
      DeadLetters1763942400000,
      DeliveryTracking1764028800000,
      CasesAndOutcomes1764201600000,
      Rollups1764288000000,
      Seals1764374400000,
      MonthlyPartitions1764460800000,
      HourlyDailyRollups1764547200000,
      FasterLatencyBucket1764633600000,
      RollupsPerStatement1764720000000,
    ],
  },
  commands: {
    /** `hub rebuild-log [target database URL]`: replay the topics into an empty log and compare. */
    'rebuild-log': {
      run: (config, [target]) =>
        rebuildLog({
          liveUrl: config.DATABASE_URL,
          targetUrl: target ?? `${config.DATABASE_URL}_rebuild`,
          brokers: config.KAFKA_BROKERS,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          deadlineSeconds: config.DELIVERY_DEADLINE_SECONDS,
          database: fullDatabase(hubService),
          logger: createLogger('hub-rebuild', config.LOG_LEVEL),
        }),
    },
  },
  modules: (config) => [
    {
      module: HubModule,
      providers: [
        { provide: CATALOGUE_FILE, useValue: catalogueFile(config) },
        { provide: ADMIN_KEY, useValue: config.HUB_ADMIN_KEY },
        { provide: DELIVERY_DEADLINE_SECONDS, useValue: config.DELIVERY_DEADLINE_SECONDS },
        { provide: DEADLINE_CHECK_SECONDS, useValue: config.DEADLINE_CHECK_SECONDS },
        { provide: SUBJECT_HASH_KEY, useValue: config.SUBJECT_HASH_KEY },
        {
          provide: SEAL_SETTINGS,
          useValue: {
            intervalSeconds: config.SEAL_INTERVAL_SECONDS,
            maxEntries: config.SEAL_MAX_ENTRIES,
          },
        },
      ],
    },
  ],
};
