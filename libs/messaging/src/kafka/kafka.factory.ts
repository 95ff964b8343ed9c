import { EVENT_TYPES, topicOf } from '@lgsp/contracts';
import { type Admin, Kafka, logLevel, type ITopicConfig, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(brokers: string, clientId: string, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[LEVELS[level] ?? 'info'](rest, message);
      },
  });
}

/** Every topic a service may touch: all event types, and its own dead letters. */
export function serviceTopics(prefix: string, system: string): string[] {
  return [...EVENT_TYPES.map((d) => topicOf(d, prefix)), `${prefix}lgsp.${system}.dlq.v1`];
}

/**
 * Creates the topics that do not exist yet (existing ones are left as they are) and waits
 * until every partition of every topic has a leader: several services provision the same
 * topics at start-up, and one that finds a topic just created by another must not
 * subscribe before it is ready.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[],
  partitions: number,
  timeoutMs = 30_000,
): Promise<string[]> {
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
    if (missing.length > 0) {
      // TOPIC_ALREADY_EXISTS from a concurrent creator is fine: readiness is checked below.
      await admin.createTopics({ topics: missing, waitForLeaders: false }).catch(() => undefined);
    }
    await waitForLeaders(admin, topics, timeoutMs);
    return missing.map((m) => m.topic);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
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
