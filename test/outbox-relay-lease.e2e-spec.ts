import { MESSAGING_SCHEMA_UP, OutboxRelay } from '@lgsp/messaging';
import { Metrics } from '@lgsp/observability';
import { dropDatabase, ensureDatabase } from '@lgsp/persistence';
import { databaseUrl, eventually, testRun } from '@lgsp/testing';
import type { Producer } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';

/** A producer that keeps what it is given: which relay sent which rows. */
function recordingProducer(sent: string[]): Producer {
  return {
    sendBatch: ({ topicMessages }: { topicMessages: { messages: { value: Buffer }[] }[] }) => {
      for (const t of topicMessages) for (const m of t.messages) sent.push(String(m.value));
      return Promise.resolve([]);
    },
  } as unknown as Producer;
}

/**
 * Two replicas' outbox relays on one database: one drains, and when its listening connection
 * (which holds the lock) is ended, it stops draining at once and the other takes over — never
 * both at once, which would break the order per key.
 */
describe('outbox relay: one replica drains, and hands over when its connection goes', () => {
  const { runId, postgresUrl } = testRun();
  const url = databaseUrl(postgresUrl, `lgsp_${runId}_relay_lease`);
  let ds: DataSource;
  const relays: OutboxRelay[] = [];
  const sentBy = { a: [] as string[], b: [] as string[] };
  let row = 0;

  const enqueue = async (n: number): Promise<string[]> => {
    const values = Array.from({ length: n }, () => `row-${++row}`);
    await ds.query(
      `INSERT INTO outbox (topic, key, headers, payload)
       SELECT 't', 'k', '{}'::jsonb, convert_to(v, 'UTF8') FROM unnest($1::text[]) AS v`,
      [values],
    );
    return values;
  };
  const drained = () =>
    eventually(
      async () =>
        (await ds.query<unknown[]>('SELECT 1 FROM outbox LIMIT 1')).length === 0 ? true : undefined,
      { what: 'the outbox drained', timeoutMs: 15_000 },
    );
  const relay = (sent: string[]) =>
    new OutboxRelay(ds, recordingProducer(sent), pino({ level: 'silent' }), new Metrics('relay'), {
      // Named, so that the test can count the relays' listening sessions.
      databaseUrl: `${url}?application_name=outbox-relay`,
      pollIntervalMs: 100,
    });

  beforeAll(async () => {
    await ensureDatabase(url);
    ds = await new DataSource({ type: 'postgres', url }).initialize();
    for (const sql of MESSAGING_SCHEMA_UP) await ds.query(sql);
  });

  afterAll(async () => {
    for (const r of relays) await r.stop();
    await ds.destroy();
    await dropDatabase(url);
  });

  it('drains with one relay only, and one takes over when the leader loses its connection', async () => {
    const a = relay(sentBy.a);
    relays.push(a);
    await a.start();
    const first = await enqueue(5);
    await drained();
    expect(sentBy.a).toEqual(first);

    const b = relay(sentBy.b);
    relays.push(b);
    await b.start();
    const second = await enqueue(5);
    await drained();
    expect(sentBy.a).toEqual([...first, ...second]);
    expect(sentBy.b).toEqual([]);

    // The server ends the leader's listening session: its advisory lock goes with it.
    const ended = await ds.query<{ ok: boolean }[]>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(ended).toHaveLength(1);
    const third = await enqueue(5);
    await drained();
    // The lock is free: the second takes it, or the first once it has connected again (which
    // comes first depends on the machine's load). Either way one relay sends, each row once.
    const leader = sentBy.b.length > 0 ? sentBy.b : sentBy.a;
    const follower = leader === sentBy.b ? sentBy.a : sentBy.b;
    const sentBefore = leader === sentBy.b ? 0 : first.length + second.length;
    expect(leader.slice(sentBefore)).toEqual(third);
    expect(follower).toEqual(leader === sentBy.b ? [...first, ...second] : []);

    // Both are listening again; only the leader sends.
    await eventually(
      async () => {
        const [{ n }] = await ds.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'outbox-relay'`,
        );
        return n === '2' ? true : undefined;
      },
      { what: 'both relays listening', timeoutMs: 10_000 },
    );
    const fourth = await enqueue(5);
    await drained();
    expect(leader.slice(sentBefore)).toEqual([...third, ...fourth]);
    expect(follower).toEqual(leader === sentBy.b ? [...first, ...second] : []);
  });
});
