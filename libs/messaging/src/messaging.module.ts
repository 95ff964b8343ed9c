import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { HealthRegistry, LOGGER, Metrics, settleWithin } from '@lgsp/observability';
import { type Admin, type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { consumedEventTypes } from './kafka/consumed-types';
import { describeAuth, type KafkaAuth } from './kafka/kafka-auth';
import { createKafka, ensureTopics, serviceTopics } from './kafka/kafka.factory';
import { OutboxRelay } from './outbox/outbox.relay';
import { OutboxWriter } from './outbox/outbox.writer';

export interface MessagingOptions {
  /** This service's system code (its `ce_source`, consumer name and dead-letter topic). */
  system: string;
  brokers: string;
  topicPrefix: string;
  partitions: number;
  createTopics: boolean;
  provinceCode: string;
  subjectHashKey: string;
  databaseUrl: string;
  /** The service's own principal on the broker (none on an open broker). */
  auth?: KafkaAuth;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
const DISCONNECT_WAIT_MS = 1000;
export const KAFKA = Symbol('KAFKA');

/** Connects the producer, provisions topics, runs the outbox relay and reports Kafka's health. */
@Injectable()
export class MessagingLifecycle
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private producer?: Producer;
  private admin?: Admin;
  private relay?: OutboxRelay;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly opts: MessagingOptions,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.opts.createTopics) {
      const { created, notAllowed } = await ensureTopics(
        this.kafka,
        serviceTopics(
          this.opts.topicPrefix,
          this.opts.system,
          consumedEventTypes(this.discovery, this.scanner),
        ),
        this.opts.partitions,
      );
      if (created.length > 0) this.logger.info({ topics: created }, 'created topics');
      if (notAllowed.length > 0)
        this.logger.debug({ topics: notAllowed }, 'topics this principal may not use');
    }
    const admin = this.kafka.admin();
    await admin.connect();
    this.admin = admin;
    this.health.register('kafka', async () => {
      await admin.describeCluster();
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.relay = new OutboxRelay(
      this.dataSource,
      this.producer as Producer,
      this.logger.child({ component: 'outbox-relay' }),
      this.metrics,
      { databaseUrl: this.opts.databaseUrl },
    );
    await this.relay.start();
  }

  /** Each step is bounded: a broker that no longer answers must not keep the service from stopping. */
  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    const producer = await settleWithin(this.producer?.disconnect(), DISCONNECT_WAIT_MS);
    const admin = await settleWithin(this.admin?.disconnect(), DISCONNECT_WAIT_MS);
    if (producer !== 'done' || admin !== 'done')
      this.logger.warn({ producer, admin }, 'Kafka clients did not disconnect cleanly');
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(opts: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: opts },
        {
          provide: KAFKA,
          useFactory: (logger: Logger) => {
            logger.info({ brokers: opts.brokers }, `Kafka: ${describeAuth(opts.auth)}`);
            return createKafka(opts.brokers, `lgsp-${opts.system}`, logger, opts.auth);
          },
          inject: [LOGGER],
        },
        {
          provide: OutboxWriter,
          useValue: new OutboxWriter({
            system: opts.system,
            provinceCode: opts.provinceCode,
            topicPrefix: opts.topicPrefix,
            subjectHashKey: opts.subjectHashKey,
          }),
        },
        MessagingLifecycle,
      ],
      exports: [MESSAGING_OPTIONS, KAFKA, OutboxWriter],
    };
  }
}
