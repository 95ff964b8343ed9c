import { EVENT_TYPES, eventTypeKey, RECEIPT, REPLAY_REQUESTED, topicOf } from '@lgsp/contracts';
import { type Admin, Kafka, logLevel, type ITopicConfig, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { type KafkaAuth, kafkajsAuth } from './kafka-auth';
import { deadLetterTopicOf } from './kafka-names';
import { fixKafkajsRequestQueue } from './request-queue-fix';

// Every kafkajs client of the process, this factory's or not, gets the fixed request queue.
fixKafkajsRequestQueue();

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * A kafkajs client that connects as the process's own principal (`auth`: SASL/SCRAM-SHA-512,
 * TLS where configured). A closed broker refuses a client without one.
 */
export function createKafka(
  brokers: string,
  clientId: string,
  logger: Logger,
  auth?: KafkaAuth,
): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    ...kafkajsAuth(auth),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        // ensureTopics expects topics that exist or that its principal may not create, and
        // says itself what it did not create.
        const expected = message.includes('Response CreateTopics');
        log[expected ? 'debug' : (LEVELS[level] ?? 'info')](rest, message);
      },
  });
}

/**
 * The topics a service uses: those of the event types its contract lets it publish, those it
 * consumes (with, for a subscriber, the receipts it writes and the replay requests it reads),
 * and its own dead letters. On a closed broker these are what the catalogue grants it.
 */
export function serviceTopics(prefix: string, system: string, consumed: string[] = []): string[] {
  const keys = new Set(consumed);
  const used = EVENT_TYPES.filter(
    (d) =>
      d.provider === system ||
      keys.has(eventTypeKey(d)) ||
      (keys.size > 0 && (d === RECEIPT || d === REPLAY_REQUESTED)),
  );
  return [...used.map((d) => topicOf(d, prefix)), deadLetterTopicOf(system, prefix)];
}

export interface EnsuredTopics {
  created: string[];
  /** Topics the principal may neither see nor create: the catalogue grants them to others. */
  notAllowed: string[];
}

/**
 * Creates the topics that do not exist yet (existing ones are left as they are) and waits
 * until every partition of every topic it may use has a leader: several services provision
 * the same topics at start-up, and one that finds a topic just created by another must not
 * subscribe before it is ready. On a closed broker, a topic the principal may not create
 * (nor see) is skipped and reported.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[],
  partitions: number,
  timeoutMs = 30_000,
): Promise<EnsuredTopics> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing: ITopicConfig[] = topics
      .filter((t) => !existing.has(t))
      .map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor: -1,
        // The broker stamps each record with its own append time, so the hub can bound a
        // record's time by it when the producer's clock runs ahead.
        configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
      }));
    const refused = new Set<string>();
    if (missing.length > 0) {
      // TOPIC_ALREADY_EXISTS from a concurrent creator is fine: readiness is checked below.
      await admin.createTopics({ topics: missing, waitForLeaders: false }).catch((e: unknown) => {
        for (const err of (e as { errors?: { type?: string; topic?: string }[] }).errors ?? []) {
          if (err.type === 'TOPIC_AUTHORIZATION_FAILED' && err.topic) refused.add(err.topic);
        }
      });
    }
    await waitForLeaders(
      admin,
      topics.filter((t) => !refused.has(t)),
      timeoutMs,
    );
    return {
      created: missing.map((m) => m.topic).filter((t) => !refused.has(t)),
      notAllowed: [...refused],
    };
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  if (topics.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  let problem = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      const notReady = meta.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
      );
      if (meta.length === topics.length && notReady.length === 0) return;
      problem = `no leader yet for ${notReady.map((t) => t.name).join(', ') || 'some topics'}`;
    } catch (e) {
      problem = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`topics not ready within ${timeoutMs} ms: ${problem}`);
}
