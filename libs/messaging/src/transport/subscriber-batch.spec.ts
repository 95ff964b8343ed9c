import { VALID_EXAMPLES } from '@lgsp/contracts';
import pino from 'pino';
import type { EntityManager } from 'typeorm';
import { PermanentError, RetryLaterError } from '../errors';
import { OutboxWriter } from '../outbox/outbox.writer';
import type { BatchItem, InboundMessage, SetContext } from './inbound';
import { type BatchDeps, runSubscriberBatch } from './subscriber-batch';

const TYPE = 'population.citizen-registered.v1';
const population = new OutboxWriter({
  system: 'population',
  provinceCode: '01',
  topicPrefix: '',
  subjectHashKey: 'k',
});

/** A citizen-registered record as population would publish it; `data` replaces the payload. */
function record(offset: number, data: object = VALID_EXAMPLES[TYPE]): InboundMessage {
  const { message } = population.build({
    type: TYPE,
    data: VALID_EXAMPLES[TYPE],
    correlationId: 'c',
  });
  return {
    topic: message.topic,
    partition: 0,
    offset: String(offset),
    key: message.key,
    headers: message.headers,
    value: Buffer.from(JSON.stringify(data)),
    timestamp: String(Date.now()),
  };
}

/** The same event id as `m`, with a payload that breaks its contract. */
function brokenCopy(m: InboundMessage, offset: number): InboundMessage {
  return { ...record(offset, { personalId: 'nope' }), headers: m.headers };
}

/** A transaction that claims ids as PostgreSQL would (each id once) and records every statement. */
function fakeManager(): { manager: EntityManager; sql: string[] } {
  const sql: string[] = [];
  const query = (text: string, params: unknown[] = []) => {
    sql.push(text);
    if (text.includes('INSERT INTO processed_events'))
      return Promise.resolve([...new Set(params[1] as string[])].map((event_id) => ({ event_id })));
    return Promise.resolve([]);
  };
  return { manager: { query } as unknown as EntityManager, sql };
}

function deps(handle: (items: BatchItem[], ctx: SetContext) => void): BatchDeps {
  return {
    system: 'insurance',
    outbox: new OutboxWriter({ ...population.settings, system: 'insurance' }),
    logger: pino({ level: 'silent' }),
    maxAttempts: 5,
    attempts: new Map(),
    invoke: () => Promise.reject(new Error('one by one was not expected here')),
    setHandler: () => (items, ctx) => Promise.resolve(handle(items, ctx)),
  };
}

const candidates = (ms: InboundMessage[]) => ms.map((message) => ({ message, pattern: TYPE }));

describe('runSubscriberBatch, set path', () => {
  it('settles an id once, by its first record, readable or not, as one by one would', async () => {
    const good = record(1);
    const seen: number[] = [];
    const d = deps((items) => void seen.push(items.length));

    const unreadableFirst = await runSubscriberBatch(
      d,
      fakeManager().manager,
      candidates([brokenCopy(good, 0), good]),
    );
    expect(unreadableFirst.outcomes).toEqual(['REJECTED', 'DUPLICATE']);

    const readableFirst = await runSubscriberBatch(
      d,
      fakeManager().manager,
      candidates([good, brokenCopy(good, 2)]),
    );
    expect(readableFirst.outcomes).toEqual(['SUCCESS', 'DUPLICATE']);
    expect(seen).toEqual([1]); // the handler saw only the readable first record
  });

  it('writes a refused record as FAILED with its code and none of its follow-ups; claims the rest as applied', async () => {
    const [a, b] = [record(1), record(2)];
    const d = deps((items, ctx) => {
      for (const item of items)
        ctx.publish(item, 'insurance.card-issued.v1', VALID_EXAMPLES['insurance.card-issued.v1']);
      ctx.refuse(items[1], new PermanentError('INSURANCE.TEST_REFUSAL', 'refused for the test'));
    });
    const { manager, sql } = fakeManager();
    const result = await runSubscriberBatch(d, manager, candidates([a, b]));
    expect(result).toEqual({ settled: 2, outcomes: ['SUCCESS', 'FAILED'] });
    const claim = sql.find((s) => s.includes('INSERT INTO processed_events'));
    expect(claim).toBeDefined();
    const outbox = sql.find((s) => s.startsWith('INSERT INTO outbox'))!;
    // one follow-up, two receipts, one dead-letter copy
    expect(outbox.match(/\(\$\d+, \$\d+, \$\d+::jsonb, \$\d+\)/g)).toHaveLength(4);
    expect(sql.some((s) => s.includes('INSERT INTO dead_letters'))).toBe(true);
  });
});

describe('runSubscriberBatch, a batch that fails as a whole', () => {
  /** One by one, with a handler that keeps failing for a reason that may pass. */
  function failingDeps(attempts: Map<string, number>): BatchDeps {
    return {
      ...deps(() => undefined),
      maxAttempts: 2,
      attempts,
      setHandler: () => undefined,
      invoke: () => Promise.reject(new Error('lock timeout')),
    };
  }

  /** A transaction whose outbox insert fails, as jsonb refuses a header holding NUL. */
  function outboxRefusing(): EntityManager {
    const { manager } = fakeManager();
    const query = manager.query.bind(manager);
    return {
      query: (text: string, params?: unknown[]) =>
        text.startsWith('INSERT INTO outbox')
          ? Promise.reject(new Error('unsupported Unicode escape sequence'))
          : query(text, params),
    } as unknown as EntityManager;
  }

  it('leaves the attempts of its records as they were, so that retries do not start over', async () => {
    const m = record(1);
    const id = m.headers.ce_id;
    const attempts = new Map([[id, 1]]);
    await expect(
      runSubscriberBatch(failingDeps(attempts), outboxRefusing(), candidates([m])),
    ).rejects.toThrow('unsupported Unicode escape sequence');
    expect(attempts.get(id)).toBe(1);
  });

  it('forgets the attempts of a record settled in a batch that commits', async () => {
    const m = record(1);
    const attempts = new Map([[m.headers.ce_id, 1]]);
    const result = await runSubscriberBatch(
      failingDeps(attempts),
      fakeManager().manager,
      candidates([m]),
    );
    expect(result.outcomes).toEqual(['FAILED']);
    expect(attempts.has(m.headers.ce_id)).toBe(false);
  });
});

describe('runSubscriberBatch, a dependency that says "later"', () => {
  function laterDeps(attempts: Map<string, number>, retryInMs: number): BatchDeps {
    return {
      ...deps(() => undefined),
      maxAttempts: 2,
      attempts,
      setHandler: () => undefined,
      invoke: () => Promise.reject(new RetryLaterError('circuit open', retryInMs)),
    };
  }

  it('waits as long as asked and counts no attempt, however often it happens', async () => {
    const m = record(1);
    const id = m.headers.ce_id;
    const attempts = new Map([[id, 1]]);
    for (let i = 0; i < 5; i++) {
      const result = await runSubscriberBatch(
        laterDeps(attempts, 5000),
        fakeManager().manager,
        candidates([m]),
      );
      expect(result).toMatchObject({ settled: 0, outcomes: [], retryInMs: 5000 });
    }
    expect(attempts.get(id)).toBe(1);
  });

  it('holds the whole batch back, uncharged and unclaimed, when the set handler itself is held back', async () => {
    const [a, b] = [record(1), record(2)];
    const attempts = new Map<string, number>();
    const tried: string[] = [];
    const d: BatchDeps = {
      ...laterDeps(attempts, 1000),
      invoke: () => {
        tried.push('one by one');
        return Promise.resolve();
      },
      setHandler: () => () => Promise.reject(new RetryLaterError('circuit open', 1000)),
    };
    const { manager, sql } = fakeManager();
    const result = await runSubscriberBatch(d, manager, candidates([a, b]));
    expect(result).toEqual({ settled: 0, outcomes: [], retryInMs: 1000 });
    expect(tried).toEqual([]);
    expect(attempts.size).toBe(0);
    expect(sql.some((q) => q.startsWith('DELETE FROM processed_events'))).toBe(true);
  });

  it('waits at most five minutes however long a dependency asks', async () => {
    const result = await runSubscriberBatch(
      laterDeps(new Map(), 24 * 3600_000),
      fakeManager().manager,
      candidates([record(1)]),
    );
    expect(result.retryInMs).toBe(300_000);
  });

  it('counts the failed set try for the first record when its own turn is then held back', async () => {
    const m = record(1);
    const id = m.headers.ce_id;
    const attempts = new Map<string, number>();
    const d: BatchDeps = {
      ...laterDeps(attempts, 500),
      setHandler: () => () => Promise.reject(new Error('register unavailable')),
    };
    const result = await runSubscriberBatch(d, fakeManager().manager, candidates([m]));
    expect(result.retryInMs).toBeGreaterThanOrEqual(500);
    expect(attempts.get(id)).toBe(1);
  });
});
