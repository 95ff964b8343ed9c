import { HttpStatus, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { findEventType, REPLAY_REQUESTED, topicOf } from '@lgsp/contracts';
import { type AccessCatalogue, consumerGroupOf, KAFKA, readProgress } from '@lgsp/messaging';
import { LOGGER } from '@lgsp/observability';
import { ApiError } from '@lgsp/platform';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import {
  KAFKA_ACCESS_SETTINGS,
  type KafkaAccessSettings,
  readAccessCatalogue,
} from '../catalogue/kafka-access';
import type { ConsumerLagAnswer, GroupLag, TopicLag } from './consumer-lag.dto';

/** An answer is reused this long: the console of every operator asks every 10 s. */
export const CONSUMER_LAG_CACHE_MS = 5000;
/** The broker's client retries for up to half a minute; a page must not wait that long. */
const BROKER_TIMEOUT_MS = 5000;

export interface ConsumerGroupOfSystem {
  system: string;
  groupId: string;
  topics: string[];
}

/**
 * The consumer groups of the hub's world and the topics each reads: every active system
 * with a subscription reads the topics of the services it subscribes to (whatever the
 * subscription's status: a group reads its topics together) and the hub's replay requests;
 * the hub's own group reads what its consumer subscribed to (`hubTopics`).
 */
export function consumerGroups(
  catalogue: AccessCatalogue,
  topicPrefix: string,
  hubTopics: string[],
): ConsumerGroupOfSystem[] {
  const active = new Set(catalogue.systems.filter((s) => s.status === 'ACTIVE').map((s) => s.code));
  const topicOfService = new Map(
    catalogue.services.flatMap((s) => {
      const def = findEventType(s.eventType);
      return def ? [[s.code, topicOf(def, topicPrefix)] as const] : [];
    }),
  );
  const topics = new Map<string, Set<string>>();
  for (const s of catalogue.subscriptions) {
    const topic = topicOfService.get(s.service);
    if (!topic || !active.has(s.consumer) || s.consumer === 'hub') continue;
    const set = topics.get(s.consumer) ?? new Set([topicOf(REPLAY_REQUESTED, topicPrefix)]);
    topics.set(s.consumer, set.add(topic));
  }
  if (hubTopics.length > 0) topics.set('hub', new Set(hubTopics));
  return [...topics.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([system, set]) => ({
      system,
      groupId: consumerGroupOf(system, topicPrefix),
      topics: [...set].sort(),
    }));
}

export interface PartitionEnd {
  partition: number;
  low: string;
  high: string;
}

/**
 * How far a group is behind on its topics: per partition, the end offset minus the
 * committed one. A partition the group has not committed on is read from its beginning
 * (the services subscribe from the beginning), as is one whose committed offset the
 * retention has passed; so its lag counts every record still there.
 */
export function lagOf(
  committed: { topic: string; partitions: { partition: number; offset: string }[] }[],
  ends: Map<string, PartitionEnd[]>,
): { lag: number; topics: TopicLag[] } {
  const at = new Map<string, bigint>();
  for (const t of committed)
    for (const p of t.partitions) at.set(`${t.topic}|${p.partition}`, BigInt(p.offset));
  const topics: TopicLag[] = [];
  for (const [topic, partitions] of ends) {
    let lag = 0n;
    let partitionsBehind = 0;
    for (const p of partitions) {
      const low = BigInt(p.low);
      const high = BigInt(p.high);
      const offset = at.get(`${topic}|${p.partition}`) ?? -1n;
      const position = offset < low ? low : offset;
      if (position < high) {
        lag += high - position;
        partitionsBehind += 1;
      }
    }
    if (lag > 0n) topics.push({ topic, lag: Number(lag), partitionsBehind });
  }
  return { lag: topics.reduce((n, t) => n + t.lag, 0), topics };
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the broker did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

const reasonOf = (e: unknown) => {
  const err = e as { type?: string; message?: string };
  return err.type ?? err.message ?? String(e);
};

/**
 * Consumer lag of every group the catalogue implies, read from the broker with the hub's own
 * principal (Describe on each subscriber's group: the ACLs the catalogue generates). One
 * answer serves every caller for CONSUMER_LAG_CACHE_MS; a broker that cannot be asked gives
 * a 503 with a stable code, a group whose offsets cannot be read its own `error`.
 */
@Injectable()
export class ConsumerLag implements OnApplicationShutdown {
  private admin?: Admin;
  private last?: { at: number; answer: Promise<ConsumerLagAnswer> };

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_ACCESS_SETTINGS) private readonly settings: KafkaAccessSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }

  read(): Promise<ConsumerLagAnswer> {
    const now = Date.now();
    if (this.last && now - this.last.at < CONSUMER_LAG_CACHE_MS) return this.last.answer;
    const answer = within(BROKER_TIMEOUT_MS, this.readNow()).catch((e: unknown) => {
      this.logger.warn({ err: reasonOf(e) }, 'consumer lag could not be read');
      void this.dropAdmin();
      throw new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'HUB.CONSUMER_LAG_UNAVAILABLE',
        `The broker could not be asked for the consumers' lag (${reasonOf(e)}); try again in a few seconds.`,
      );
    });
    this.last = { at: now, answer };
    return answer;
  }

  private async readNow(): Promise<ConsumerLagAnswer> {
    const at = new Date().toISOString();
    const catalogue = await readAccessCatalogue((sql) => this.dataSource.query(sql));
    const groups = consumerGroups(
      catalogue,
      this.settings.topicPrefix,
      readProgress.consumer?.topics ?? [],
    );
    const admin = await this.connected();
    // A topic no service has created yet holds nothing to be behind on.
    const existing = new Set(await admin.listTopics());
    const topics = [...new Set(groups.flatMap((g) => g.topics))].filter((t) => existing.has(t));
    const ends = new Map<string, PartitionEnd[]>();
    for (const topic of topics) ends.set(topic, await admin.fetchTopicOffsets(topic));
    const states = await admin
      .describeGroups(groups.map((g) => g.groupId))
      .then((d) => new Map(d.groups.map((g) => [g.groupId, g])))
      .catch(() => new Map<string, { state: string; members: unknown[] }>());
    const answers: GroupLag[] = [];
    for (const g of groups) {
      const state = states.get(g.groupId);
      const base = {
        system: g.system,
        groupId: g.groupId,
        state: state?.state ?? 'Unknown',
        members: state ? state.members.length : null,
      };
      const own = g.topics.filter((t) => ends.has(t));
      try {
        const committed = own.length
          ? await admin.fetchOffsets({ groupId: g.groupId, topics: own })
          : [];
        const lag = lagOf(committed, new Map(own.map((t) => [t, ends.get(t)!])));
        answers.push({ ...base, ...lag });
      } catch (e) {
        answers.push({ ...base, lag: null, topics: [], error: reasonOf(e) });
      }
    }
    return { at, groups: answers };
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin;
      await admin.connect();
    }
    return this.admin;
  }

  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
