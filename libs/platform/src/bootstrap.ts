import { type DynamicModule, type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  KAFKA,
  type KafkaAuth,
  kafkaAuthFrom,
  KafkaBatchTransport,
  MESSAGING_ENTITIES,
  MessagingModule,
  OutboxWriter,
} from '@lgsp/messaging';
import {
  createLogger,
  HealthRegistry,
  Metrics,
  ObservabilityModule,
  PinoNestLogger,
} from '@lgsp/observability';
import { type DatabaseDefinition, migrate, PersistenceModule } from '@lgsp/persistence';
import type { Kafka } from 'kafkajs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { answerClientError } from './client-errors';
import { type Env, loadConfig, type ServiceConfig } from './config';
import { HttpErrorFilter, validationPipe } from './http-errors';
import { type HttpDoorOptions, openHttpDoors } from './http-doors';
import { exitOnSignals } from './shutdown';
import { serveOpenApi } from './openapi';

export interface ServiceDefinition<C extends ServiceConfig = ServiceConfig> {
  /** The app's name (its folder under apps/). */
  name: string;
  /** The member-system code it acts as. */
  system: string;
  configClass: new () => C;
  /** Defaults for settings the environment leaves unset (port, database). */
  defaults: Env;
  database: DatabaseDefinition;
  /** The service's own feature modules. */
  modules(config: C): (Type | DynamicModule)[];
  /** Its own rate limits and Content-Security-Policies, besides those every service has. */
  http?(config: C): HttpDoorOptions;
  /**
   * The shortest time (ms) from one Kafka fetch that brought records to the next
   * (FETCH_INTERVAL_MS, 25, by default): longer for a consumer no chain waits for, which then
   * handles fewer, larger batches.
   */
  fetchIntervalMs?: number;
  /** Commands besides `migrate`: `main.js <name> [args]` runs one and exits. */
  commands?: Record<string, { run(config: C, args: string[]): Promise<unknown> }>;
}

export interface RunningService<C extends ServiceConfig = ServiceConfig> {
  app: INestApplication;
  config: C;
  logger: Logger;
  url: string;
}

@Module({})
class ServiceRootModule {}

/** The service's database with the messaging tables every service has. */
export function fullDatabase(def: Pick<ServiceDefinition, 'database'>): DatabaseDefinition {
  return { ...def.database, entities: [...(def.database.entities as []), ...MESSAGING_ENTITIES] };
}

export function serviceConfig<C extends ServiceConfig>(def: ServiceDefinition<C>, env: Env): C {
  return loadConfig(def.configClass, env, def.defaults);
}

/** The service's own principal on the broker, and TLS, from its configuration. */
export function kafkaAuthOf(config: ServiceConfig): KafkaAuth {
  return kafkaAuthFrom({
    KAFKA_SASL_USERNAME: config.KAFKA_SASL_USERNAME,
    KAFKA_SASL_PASSWORD: config.KAFKA_SASL_PASSWORD,
    KAFKA_SSL: config.KAFKA_SSL,
    KAFKA_SSL_CA_FILE: config.KAFKA_SSL_CA_FILE,
  });
}

export async function migrateService(def: ServiceDefinition, env: Env): Promise<string[]> {
  return migrate(serviceConfig(def, env).DATABASE_URL, fullDatabase(def));
}

/** Boots a service: HTTP API, Kafka consumers, outbox relay, health and metrics. */
export async function startService<C extends ServiceConfig>(
  def: ServiceDefinition<C>,
  env: Env,
): Promise<RunningService<C>> {
  const config = serviceConfig(def, env);
  const logger = createLogger(def.name, config.LOG_LEVEL);
  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [
      ObservabilityModule.forRoot({ service: def.name, logger }),
      PersistenceModule.forRoot(config.DATABASE_URL, fullDatabase(def), {
        lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS,
        statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
        // A consumer's batch may hold two connections at once (its transaction and a serial
        // reservation): the pool always has room for every partition handled at once.
        poolSize: Math.max(
          config.DB_POOL_SIZE,
          2 * config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY + 2,
        ),
        vacuumIntervalSeconds: config.DB_VACUUM_INTERVAL_SECONDS,
      }),
      MessagingModule.forRoot({
        system: def.system,
        brokers: config.KAFKA_BROKERS,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        partitions: config.KAFKA_TOPIC_PARTITIONS,
        createTopics: config.KAFKA_CREATE_TOPICS,
        provinceCode: config.PROVINCE_CODE,
        subjectHashKey: config.SUBJECT_HASH_KEY,
        databaseUrl: config.DATABASE_URL,
        auth: kafkaAuthOf(config),
      }),
      ...def.modules(config),
    ],
  };
  const app = await NestFactory.create(root, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  openHttpDoors(app as NestExpressApplication, config, def.http?.(config) ?? {}, {
    logger,
    metrics: app.get(Metrics),
  });
  (app.getHttpServer() as Server).on('clientError', answerClientError);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter(logger));
  const transport = new KafkaBatchTransport({
    kafka: app.get<Kafka>(KAFKA),
    system: def.system,
    groupId: `${config.KAFKA_TOPIC_PREFIX}lgsp.${def.system}`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger: logger.child({ component: 'consumer' }),
    metrics: app.get(Metrics),
    dataSource: app.get(DataSource),
    outbox: app.get(OutboxWriter),
    maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    partitionsConsumedConcurrently: config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
    maxBytesPerPartition: config.KAFKA_MAX_BYTES_PER_PARTITION,
    fetchIntervalMs: def.fetchIntervalMs,
  });
  app.connectMicroservice({ strategy: transport });
  serveOpenApi(app, def.name);
  // Module init (topics, producer, catalogue) must be done before consumers subscribe.
  await app.init();
  // Ready to be given work: the database answers (a replica without it serves nothing) and
  // the consumer is a member of its group. The broker's own check stays in /health only.
  const health = app.get(HealthRegistry);
  health.alsoFor('database', 'ready');
  health.register('consumer', () => transport.state.check(), ['ready']);
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url }, `${def.name} listening`);
  return { app, config, logger, url };
}

/**
 * The entry point of every app: `main.js` starts the service; `main.js migrate`
 * applies its migrations and exits. SIGTERM/SIGINT close it within SHUTDOWN_TIMEOUT_MS.
 */
export function runMain<C extends ServiceConfig>(
  def: ServiceDefinition<C>,
  argv = process.argv.slice(2),
  env: Env = process.env,
): void {
  const fail = (e: unknown) => {
    process.stderr.write(`${def.name}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  };
  const command = argv[0] ? def.commands?.[argv[0]] : undefined;
  if (command) {
    command.run(serviceConfig(def, env), argv.slice(1)).then((result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.exit(0);
    }, fail);
    return;
  }
  if (argv[0] === 'migrate') {
    migrateService(def, env).then((applied) => {
      process.stdout.write(
        `${def.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`,
      );
    }, fail);
    return;
  }
  startService(def, env).then((svc) => exitOnSignals(svc), fail);
}
