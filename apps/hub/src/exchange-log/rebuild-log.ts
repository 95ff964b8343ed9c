import { EVENT_TYPES, topicOf } from '@lgsp/contracts';
import {
  createKafka,
  type InboundMessage,
  type KafkaAuth,
  normaliseHeaders,
} from '@lgsp/messaging';
import { Metrics } from '@lgsp/observability';
import {
  type DatabaseDefinition,
  dataSourceOptions,
  dropDatabase,
  migrate,
} from '@lgsp/persistence';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Catalogue, DEFAULT_CATALOGUE } from '../catalogue/catalogue.service';
import { StoredValues } from '../privacy/stored-values';
import { RecordExchangeUseCase } from './record-exchange.use-case';

export interface RebuildSettings {
  liveUrl: string;
  targetUrl: string;
  brokers: string;
  /** The hub's own principal on a closed broker. */
  auth?: KafkaAuth;
  topicPrefix: string;
  deadlineSeconds: number;
  /** The live hub's key: the rebuilt log computes the same subject hashes and ids. */
  subjectHashKey: string;
  database: DatabaseDefinition;
  logger: Logger;
}

export interface Comparison {
  equal: boolean;
  records: number;
  entriesByKind: { live: Record<string, number>; rebuilt: Record<string, number> };
  transactionsByStatus: { live: Record<string, number>; rebuilt: Record<string, number> };
}

const countBy = async (ds: DataSource, sql: string) =>
  Object.fromEntries(
    (await ds.query<{ k: string; n: string }[]>(sql)).map((r) => [r.k, Number(r.n)]),
  );

/**
 * Replays every topic from its beginning into an empty log (a new database), with the
 * live catalogue, and compares entries by kind and transactions by status with the live
 * log. Records no longer in Kafka (past retention) cannot be replayed.
 */
export async function rebuildLog(s: RebuildSettings): Promise<Comparison> {
  await dropDatabase(s.targetUrl);
  await migrate(s.targetUrl, s.database);
  const live = new DataSource(dataSourceOptions(s.liveUrl, s.database));
  const target = new DataSource(dataSourceOptions(s.targetUrl, s.database));
  await Promise.all([live.initialize(), target.initialize()]);
  const kafka = createKafka(s.brokers, 'lgsp-hub-rebuild', s.logger, s.auth);
  const consumer = kafka.consumer({
    groupId: `${s.topicPrefix}lgsp.hub.rebuild.${Date.now()}`,
    maxWaitTimeInMs: 250,
  });
  try {
    for (const table of ['member_systems', 'services', 'subscriptions']) {
      const rows = await live.query<Record<string, unknown>[]>(`SELECT * FROM ${table}`);
      for (const r of rows) {
        const cols = Object.keys(r);
        await target.query(
          `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})
           ON CONFLICT DO NOTHING`,
          Object.values(r),
        );
      }
    }
    const catalogue = new Catalogue(target, DEFAULT_CATALOGUE, s.logger);
    const recorder = new RecordExchangeUseCase(
      target,
      catalogue,
      s.deadlineSeconds,
      new Metrics('hub-rebuild'),
      new StoredValues(s.subjectHashKey),
    );
    const topics = EVENT_TYPES.map((d) => topicOf(d, s.topicPrefix));
    const admin = kafka.admin();
    await admin.connect();
    const remaining = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low))
          remaining.set(`${topic}/${p.partition}`, BigInt(p.high) - 1n);
      }
    }
    await admin.disconnect();
    let records = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    if (remaining.size === 0) done();
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const messages: InboundMessage[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key ? m.key.toString('utf8') : null,
          headers: normaliseHeaders(m.headers),
          value: m.value,
          timestamp: m.timestamp,
        }));
        await recorder.record(messages);
        records += messages.length;
        const key = `${batch.topic}/${batch.partition}`;
        const last = remaining.get(key);
        if (last !== undefined && BigInt(batch.lastOffset()) >= last) remaining.delete(key);
        if (remaining.size === 0) done();
      },
    });
    await finished;
    await target.query(
      `UPDATE transactions SET status = 'TIMED_OUT', timed_out_at = now()
        WHERE status = 'PENDING' AND published_at < now() - make_interval(secs => $1)`,
      [s.deadlineSeconds],
    );
    const kinds = 'SELECT kind AS k, count(*) AS n FROM log_entries GROUP BY 1';
    const statuses = 'SELECT status AS k, count(*) AS n FROM transactions GROUP BY 1';
    const result = {
      records,
      entriesByKind: { live: await countBy(live, kinds), rebuilt: await countBy(target, kinds) },
      transactionsByStatus: {
        live: await countBy(live, statuses),
        rebuilt: await countBy(target, statuses),
      },
    };
    const same = (a: Record<string, number>, b: Record<string, number>) =>
      JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    return {
      equal:
        same(result.entriesByKind.live, result.entriesByKind.rebuilt) &&
        same(result.transactionsByStatus.live, result.transactionsByStatus.rebuilt),
      ...result,
    };
  } finally {
    await consumer.disconnect();
    await Promise.all([live.destroy(), target.destroy()]);
  }
}
