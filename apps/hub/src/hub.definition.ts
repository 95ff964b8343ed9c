import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { fullDatabase, kafkaAuthOf, type ServiceDefinition } from '@lgsp/platform';
import { createLogger } from '@lgsp/observability';
import { rebuildLog } from './exchange-log/rebuild-log';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  AccessGuard,
  ADMIN_KEY,
  AUTH_FAILURES_PER_MINUTE,
  Authenticator,
} from './access/access.guard';
import { Credential } from './access/credential.entity';
import { CredentialsController } from './access/credentials.controller';
import { CredentialsService } from './access/credentials.service';
import { MeController } from './access/me.controller';
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
import { KAFKA_ACCESS_SETTINGS, KafkaAccess, kafkaAccessSettings } from './catalogue/kafka-access';
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
import { ConsumerLag } from './consumer-lag/consumer-lag';
import { ConsumerLagController } from './consumer-lag/consumer-lag.controller';
import { ROLLUP_ENTITIES } from './stats/rollup.entity';
import { Stats, StatsController } from './stats/stats';
import { AuditController, SUBJECT_HASH_KEY } from './audit/audit.controller';
import { SubjectReportController } from './audit/subject-report.controller';
import { AuditQuery } from './audit/audit-query.entity';
import { SealRow } from './audit/seal.entity';
import { SEAL_SETTINGS, Sealer } from './audit/sealing';
import { loadSealKeys } from './audit/seal-keys';
import { SealKeysController } from './audit/seal-keys.controller';
import { SealKeyring, SealSigner } from './audit/seal-signature';
import { VerifyLog } from './audit/verify-log';
import { LOG_RETENTION, LogRetention } from './audit/log-retention';
import { Seals1764374400000 } from './migrations/1764374400000-seals';
import { MonthlyPartitions1764460800000 } from './migrations/1764460800000-monthly-partitions';
import { HourlyDailyRollups1764547200000 } from './migrations/1764547200000-hourly-daily-rollups';
import { FasterLatencyBucket1764633600000 } from './migrations/1764633600000-faster-latency-bucket';
import { RollupsPerStatement1764720000000 } from './migrations/1764720000000-rollups-per-statement';
import { SignedSeals1764806400000 } from './migrations/1764806400000-signed-seals';
import { HubComputedValues1764892800000 } from './migrations/1764892800000-hub-computed-values';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLetters } from './dead-letters/replay-dead-letters.use-case';
import { TransactionsController } from './exchange-log/transactions.controller';
import { StoredValues } from './privacy/stored-values';
import { PublishEventUseCase } from './ingress/publish-event.use-case';
import { PublishController } from './ingress/publish.controller';
import { HubConfig } from './hub.config';
import { AdminAction } from './admin-actions/admin-action.entity';
import { AdminActionsController } from './admin-actions/admin-actions.controller';
import { CredentialExpiryAndAdminActions1764979200000 } from './migrations/1764979200000-credential-expiry-and-admin-actions';
import { SubscriptionLegalBasis1765065600000 } from './migrations/1765065600000-subscription-legal-basis';
import { TransactionPurpose1765195200000 } from './migrations/1765195200000-transaction-purpose';
import { LogArchives1765281600000 } from './migrations/1765281600000-log-archives';
import { SubscriptionTerms1765368000000 } from './migrations/1765368000000-subscription-terms';
import { FewerLogIndexes1765454400000 } from './migrations/1765454400000-fewer-log-indexes';
import { HotTransactionUpdates1765540800000 } from './migrations/1765540800000-hot-transaction-updates';
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
    MeController,
    PublishController,
    TransactionsController,
    LogController,
    DeadLettersController,
    CasesController,
    StatsController,
    AuditController,
    SubjectReportController,
    SealKeysController,
    ReportsController,
    AdminActionsController,
    ConsumerLagController,
    ExchangeLogConsumer,
  ],
  providers: [
    Catalogue,
    KafkaAccess,
    CredentialsService,
    Authenticator,
    { provide: APP_GUARD, useClass: AccessGuard },
    PublishEventUseCase,
    RecordExchangeUseCase,
    Stats,
    Sealer,
    LogPartitions,
    LogRetention,
    VerifyLog,
    DeliveryDeadlines,
    DeadLetters,
    ConsumerLag,
  ],
})
class HubModule {}

/** apps/console/dist of the checkout this runs from (as source or as the build in dist/). */
function defaultConsoleDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'apps', 'console')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'apps', 'console', 'dist');
}

function catalogueFile(config: HubConfig): CatalogueFile {
  if (!config.CATALOGUE_FILE) return DEFAULT_CATALOGUE;
  return JSON.parse(readFileSync(config.CATALOGUE_FILE, 'utf8')) as CatalogueFile;
}

export const hubService: ServiceDefinition<HubConfig> = {
  name: 'hub',
  system: 'hub',
  // The hub reads every topic and is on no chain's path (latency runs from a publication's
  // time to its receipt's): four fetches a second, each logged in one group commit, cost
  // the broker and the hub's database a fraction of forty.
  fetchIntervalMs: 250,
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
      AdminAction,
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
      SignedSeals1764806400000,
      HubComputedValues1764892800000,
      CredentialExpiryAndAdminActions1764979200000,
      SubscriptionLegalBasis1765065600000,
      TransactionPurpose1765195200000,
      LogArchives1765281600000,
      SubscriptionTerms1765368000000,
      FewerLogIndexes1765454400000,
      HotTransactionUpdates1765540800000,
    ],
  },
  http: (config) => ({
    // An export streams the whole log if asked to: its own, much lower limit.
    rateLimits: [
      {
        // GET and POST alike (POST keeps a citizen's ID number out of the URL).
        name: 'audit-export',
        path: '/audit/export',
        perSecond: config.AUDIT_EXPORT_RATE_PER_MINUTE / 60,
        burst: config.AUDIT_EXPORT_BURST,
      },
    ],
    contentSecurityPolicies: { '/console': config.CONSOLE_CONTENT_SECURITY_POLICY },
    staticSites: { '/console': config.CONSOLE_DIR ?? defaultConsoleDir() },
  }),
  commands: {
    /** `hub rebuild-log [target database URL]`: replay the topics into an empty log and compare. */
    'rebuild-log': {
      run: (config, [target]) =>
        rebuildLog({
          liveUrl: config.DATABASE_URL,
          targetUrl: target ?? `${config.DATABASE_URL}_rebuild`,
          brokers: config.KAFKA_BROKERS,
          auth: kafkaAuthOf(config),
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          deadlineSeconds: config.DELIVERY_DEADLINE_SECONDS,
          subjectHashKey: config.SUBJECT_HASH_KEY,
          database: fullDatabase(hubService),
          logger: createLogger('hub-rebuild', config.LOG_LEVEL),
        }),
    },
  },
  modules: (config) => {
    // Here, not in the config class: only the running hub signs; migrate and rebuild-log
    // need no private key.
    const sealKeys = loadSealKeys(config);
    return [
      {
        module: HubModule,
        providers: [
          { provide: SealSigner, useValue: sealKeys.signer },
          { provide: SealKeyring, useValue: sealKeys.keyring },
          { provide: CATALOGUE_FILE, useValue: catalogueFile(config) },
          { provide: KAFKA_ACCESS_SETTINGS, useValue: kafkaAccessSettings(config) },
          { provide: ADMIN_KEY, useValue: config.HUB_ADMIN_KEY },
          { provide: AUTH_FAILURES_PER_MINUTE, useValue: config.HUB_AUTH_FAILURES_PER_MINUTE },
          { provide: DELIVERY_DEADLINE_SECONDS, useValue: config.DELIVERY_DEADLINE_SECONDS },
          { provide: DEADLINE_CHECK_SECONDS, useValue: config.DEADLINE_CHECK_SECONDS },
          { provide: SUBJECT_HASH_KEY, useValue: config.SUBJECT_HASH_KEY },
          { provide: StoredValues, useValue: new StoredValues(config.SUBJECT_HASH_KEY) },
          {
            provide: LOG_RETENTION,
            useValue: { months: config.LOG_RETENTION_MONTHS, dir: config.LOG_ARCHIVE_DIR },
          },
          {
            provide: SEAL_SETTINGS,
            useValue: {
              intervalSeconds: config.SEAL_INTERVAL_SECONDS,
              maxEntries: config.SEAL_MAX_ENTRIES,
            },
          },
        ],
      },
    ];
  },
};
