import {
  createKafka,
  ensureTopics,
  type KafkaAuth,
  type RawOutboxMessage,
  uuidv7,
} from '@lgsp/messaging';
import { Partitioners } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import pino from 'pino';

export interface RawKafkaResult {
  topic: string;
  partitions: number;
  messages: number;
  consumed: number;
  valueBytes: number;
  headerBytes: number;
  batchSize: number;
  produceMessagesPerSecond: number;
  endToEndMessagesPerSecond: number;
  seconds: number;
}

/**
 * Raw pass-through of the same client on the same broker: a fresh topic with the services'
 * partition count, `messages` records shaped like `birth-registered` produced the way the
 * outbox relay does it (idempotent producer, acks from all replicas, one batch in flight),
 * consumed by a fresh group with the transport's fetch settings. Nothing is parsed or
 * stored: it is the ceiling the flow runs under. The topic and group are deleted after.
 */
export async function rawKafka(o: {
  brokers: string;
  auth: KafkaAuth;
  topicPrefix: string;
  partitions: number;
  /** A topic of the services whose partition count the baseline copies. */
  partitionsLike: string;
  messages: number;
  batchSize: number;
  record: RawOutboxMessage;
  timeoutMs: number;
  say(line: string): void;
}): Promise<RawKafkaResult> {
  // The client retries what it logs (a partition without a leader just after the topic is
  // created); a baseline that did not get through shows as records missing in the result.
  const kafka = createKafka(
    o.brokers,
    'hubctl-bench',
    pino({ level: 'fatal' }, pino.destination(2)),
    o.auth,
  );
  const run = randomBytes(4).toString('hex');
  const topic = `${o.topicPrefix}lgsp.bench.pass-through-${run}.v1`;
  const groupId = `${o.topicPrefix}lgsp.bench.pass-through-${run}`;
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({
    groupId,
    maxBytesPerPartition: 1_048_576,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  try {
    // As many partitions as the services' own topics have on this broker, where they exist.
    const like = await admin
      .fetchTopicMetadata({ topics: [o.partitionsLike] })
      .catch(() => undefined);
    const partitions = like?.topics[0]?.partitions.length || o.partitions;
    await ensureTopics(kafka, [topic], partitions);
    // Keys spread over the partitions as subject keys do; the value and headers keep their size.
    const keys = Array.from({ length: 1024 }, () => randomBytes(32).toString('hex'));
    const headers = () => ({
      ...o.record.headers,
      ce_id: uuidv7(),
      ce_time: new Date().toISOString(),
    });
    let consumed = 0;
    let lastConsumed = 0;
    let allIn: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allIn = resolve));
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: ({ batch }) => {
        consumed += batch.messages.length;
        lastConsumed = Date.now();
        if (consumed >= o.messages) allIn();
        return Promise.resolve();
      },
    });
    await joined;
    await producer.connect();
    o.say(
      `raw Kafka: producing ${o.messages} records of ${o.record.payload?.length ?? 0} bytes to ${topic}`,
    );
    const start = Date.now();
    for (let sent = 0; sent < o.messages; sent += o.batchSize) {
      const n = Math.min(o.batchSize, o.messages - sent);
      const messages = Array.from({ length: n }, (_, i) => ({
        key: keys[(sent + i) % keys.length],
        value: o.record.payload,
        headers: headers(),
      }));
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
    }
    const produced = Date.now();
    await Promise.race([done, new Promise((r) => setTimeout(r, o.timeoutMs))]);
    const end = consumed >= o.messages ? lastConsumed : Date.now();
    const rate = (n: number, ms: number) => Math.round((n * 1000) / Math.max(1, ms));
    return {
      topic,
      partitions,
      messages: o.messages,
      consumed,
      valueBytes: o.record.payload?.length ?? 0,
      headerBytes: Object.entries(o.record.headers).reduce(
        (s, [k, v]) => s + k.length + v.length,
        0,
      ),
      batchSize: o.batchSize,
      produceMessagesPerSecond: rate(o.messages, produced - start),
      endToEndMessagesPerSecond: rate(consumed, end - start),
      seconds: Math.round((end - start) / 100) / 10,
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
