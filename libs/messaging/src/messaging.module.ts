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
import { HealthRegistry, LOGGER, Metrics } from '@lgsp/observability';
import { type Admin, type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
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
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
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
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.opts.createTopics) {
      const created = await ensureTopics(
        this.kafka,
        serviceTopics(this.opts.topicPrefix, this.opts.system),
        this.opts.partitions,
      );
      if (created.length > 0) this.logger.info({ topics: created }, 'created topics');
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

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.producer?.disconnect();
    await this.admin?.disconnect();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(opts: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: opts },
        {
          provide: KAFKA,
          useFactory: (logger: Logger) => createKafka(opts.brokers, `lgsp-${opts.system}`, logger),
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
