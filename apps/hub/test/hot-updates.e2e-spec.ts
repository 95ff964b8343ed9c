import { hubService } from '@apps/hub';
import { migrate } from '@lgsp/persistence';
import { fullDatabase, serviceConfig } from '@lgsp/platform';
import { eventually, query, serviceTestEnv } from '@lgsp/testing';

/** Columns a receipt (or the deadline check) changes on its transaction. */
const CHANGED_BY_OUTCOMES = [
  'status',
  'error_code',
  'reason',
  'attempts',
  'received_at',
  'completed_at',
  'latency_ms',
  'late',
  'timed_out_at',
];

/**
 * Receipts update their transactions in place, the hub's most frequent write: those updates
 * must stay HOT (no index entry written, no dead row left for the vacuum). That holds while
 * no index of `transactions` holds a column they change, and its pages keep room.
 */
describe('hub: transactions are updated in place (HOT)', () => {
  const url = serviceConfig(hubService, serviceTestEnv('hub', {}, '_hot')).DATABASE_URL;

  beforeAll(async () => {
    await migrate(url, fullDatabase(hubService));
  });

  it('has no index on a column that a receipt changes, and leaves room on each page', async () => {
    const indexed = await query<{ column: string }>(
      url,
      `SELECT DISTINCT a.attname AS column
         FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid
        WHERE i.indrelid = 'transactions'::regclass
          AND (a.attnum = ANY(i.indkey)
               OR pg_get_expr(i.indpred, i.indrelid) ~ ('\\m' || a.attname || '\\M')
               OR pg_get_expr(i.indexprs, i.indrelid) ~ ('\\m' || a.attname || '\\M'))`,
    );
    const columns = indexed.map((r) => r.column);
    expect(columns).toEqual(expect.arrayContaining(['event_id', 'consumer', 'published_at']));
    expect(columns.filter((c) => CHANGED_BY_OUTCOMES.includes(c))).toEqual([]);
    const [{ options }] = await query<{ options: string[] }>(
      url,
      "SELECT reloptions AS options FROM pg_class WHERE oid = 'transactions'::regclass",
    );
    expect(options).toContain('fillfactor=50');
  });

  it('closes a transaction with a heap-only update', async () => {
    await query(
      url,
      `INSERT INTO transactions (event_id, consumer, service_code, status, published_at)
       VALUES ('hot-1', 'insurance', 'citizen-registration', 'PENDING', now())`,
    );
    await query(
      url,
      `UPDATE transactions SET status = 'SUCCESS', received_at = now(), completed_at = now(),
              attempts = 1, latency_ms = 12
        WHERE event_id = 'hot-1'`,
    );
    // Each query above ran on its own connection: its statistics are flushed as it closes.
    await eventually(
      async () => {
        const [t] = await query<{ upd: string; hot: string }>(
          url,
          `SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables
            WHERE relname = 'transactions'`,
        );
        return Number(t.upd) >= 1 ? t : undefined;
      },
      { what: 'the update in the statistics', timeoutMs: 10_000 },
    ).then((t) => expect(t.hot).toBe(t.upd));
  });
});
