import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  type AccessCatalogue,
  aclBindings,
  type AclChanges,
  applyAcls,
  catalogueAccess,
  createKafka,
  type KafkaAuth,
  kafkaAuthFrom,
  managedPrincipals,
} from '@lgsp/messaging';
import { LOGGER } from '@lgsp/observability';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { HubConfig } from '../hub.config';

/** Where the hub finds the broker and, optionally, the credential that may change its ACLs. */
export interface KafkaAccessSettings {
  brokers: string;
  topicPrefix: string;
  /** The administration principal; without it the hub says which command to run instead. */
  admin?: KafkaAuth;
}

export const KAFKA_ACCESS_SETTINGS = Symbol('KAFKA_ACCESS_SETTINGS');

export function kafkaAccessSettings(config: HubConfig): KafkaAccessSettings {
  return {
    brokers: config.KAFKA_BROKERS,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    admin: config.KAFKA_ACL_ADMIN_USERNAME
      ? kafkaAuthFrom({
          KAFKA_SASL_USERNAME: config.KAFKA_ACL_ADMIN_USERNAME,
          KAFKA_SASL_PASSWORD: config.KAFKA_ACL_ADMIN_PASSWORD,
          KAFKA_SSL: config.KAFKA_SSL,
          KAFKA_SSL_CA_FILE: config.KAFKA_SSL_CA_FILE,
        })
      : undefined,
  };
}

/** The command that puts the broker's ACLs in step with the catalogue. */
export const APPLY_ACLS_COMMAND = 'hubctl kafka acls --apply';

export type AclSyncOutcome =
  ({ applied: true } & AclChanges) | { applied: false; reason: string; command: string };

/** The rows of the catalogue that decide access on the broker, as they are now. */
export async function readAccessCatalogue(
  query: <T>(sql: string) => Promise<T[]>,
): Promise<AccessCatalogue> {
  return {
    systems: await query('SELECT code, status FROM member_systems'),
    services: await query('SELECT code, event_type AS "eventType", provider FROM services'),
    subscriptions: await query('SELECT consumer, service, status FROM subscriptions'),
  };
}

/**
 * The broker's ACLs follow the catalogue: at start-up and after every change an
 * administrator makes, when the hub holds the administration credential; otherwise each
 * change answers with the command to run (`hubctl kafka acls --apply`). Syncs run one at a
 * time, each from the catalogue as it is when it starts.
 */
@Injectable()
export class KafkaAccess implements OnApplicationBootstrap {
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(KAFKA_ACCESS_SETTINGS) private readonly settings: KafkaAccessSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync('start');
  }

  /** Puts the broker's ACLs in step with the catalogue, after the syncs already under way. */
  sync(after: 'start' | 'change'): Promise<AclSyncOutcome> {
    const run = this.last.then(
      () => this.syncNow(),
      () => this.syncNow(),
    );
    this.last = run;
    return run.then((outcome) => {
      if (outcome.applied)
        this.logger.info({ ...outcome, after }, 'Kafka ACLs in step with the catalogue');
      else if (after === 'change')
        this.logger.warn(outcome, 'the catalogue changed; the Kafka ACLs did not follow');
      else this.logger.info(outcome, 'Kafka ACLs are applied by an operator, not by the hub');
      return outcome;
    });
  }

  private async syncNow(): Promise<AclSyncOutcome> {
    const { admin, brokers, topicPrefix } = this.settings;
    if (!admin?.sasl) {
      return {
        applied: false,
        reason: 'the hub holds no Kafka administration credential',
        command: APPLY_ACLS_COMMAND,
      };
    }
    const catalogue = await readAccessCatalogue((sql) => this.dataSource.query(sql));
    const kafka = createKafka(brokers, 'lgsp-hub-acls', this.logger, admin);
    const client = kafka.admin();
    try {
      await client.connect();
      const changes = await applyAcls(
        client,
        aclBindings(catalogueAccess(catalogue, { topicPrefix })),
        managedPrincipals(catalogue, { topicPrefix }),
      );
      return { applied: true, ...changes };
    } catch (e) {
      this.logger.error({ err: (e as Error).message }, 'could not apply the Kafka ACLs');
      return { applied: false, reason: (e as Error).message, command: APPLY_ACLS_COMMAND };
    } finally {
      await client.disconnect().catch(() => undefined);
    }
  }
}
