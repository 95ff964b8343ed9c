import { Client } from 'pg';

/** Latency of one service's transactions (or of all, service `all`), exact from the rows. */
export interface Latency {
  service: string;
  transactions: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Rows whose latency was below zero (clock skew); counted as 0 ms above. */
  negative: number;
}

/** How a phase's transactions ended, and whether the wait for them ran out. */
export interface Closure {
  byStatus: Record<string, number>;
  total: number;
  open: number;
  /** Transactions the phase should have opened but the hub never logged. */
  missing: number;
  waitedSeconds: number;
  timedOut: boolean;
  /** The commonest ways its transactions did not succeed, e.g. `12 FAILED at civil-status: CODE`. */
  errors: string[];
}

/**
 * The hub's exchange log as the benchmark reads it. A phase's transactions are those whose
 * correlation id intake gave to one of its accepted submissions (follow-up events of a
 * chain share it), so other traffic on the same stack is never counted.
 */
export class FlowLog {
  private constructor(private readonly db: Client) {}

  static async open(url: string): Promise<FlowLog> {
    const db = new Client({ connectionString: url });
    await db.connect();
    return new FlowLog(db);
  }

  close(): Promise<void> {
    return this.db.end();
  }

  async serverVersion(): Promise<string> {
    return (await this.db.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
  }

  /** Which database (or background role) each PostgreSQL process serves. */
  async backendLabels(): Promise<Map<number, string>> {
    const { rows } = await this.db.query<{ pid: number; label: string }>(
      `SELECT pid, COALESCE(datname, backend_type) AS label FROM pg_stat_activity`,
    );
    return new Map(rows.map((r) => [r.pid, r.label]));
  }

  /**
   * Transactions still open that were published since the minute `sinceMs` falls in, from
   * the hub's per-minute roll-up, which its log writes keep in step with `transactions` in
   * the same database transaction. Asked every second while a phase runs, it must cost the
   * machine under test next to nothing: counting the open rows of `transactions` reads every
   * row published since (no index holds the status: decision 0026) — 0.7 s of a core a call
   * by the end of a maximum phase.
   */
  async openSince(sinceMs: number): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT COALESCE(sum(pending), 0)::int AS n FROM rollups_minute
        WHERE minute >= date_trunc('minute', to_timestamp($1 / 1000.0))`,
      [sinceMs],
    );
    return rows[0].n;
  }

  async statuses(ids: string[]): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM transactions WHERE correlation_id = ANY($1) GROUP BY status`,
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** The newest exchange-log entry: while it moves, the hub is still logging something. */
  private async lastEntryId(): Promise<string> {
    const { rows } = await this.db.query<{ id: string | null }>(
      'SELECT max(id)::text AS id FROM log_entries',
    );
    return rows[0].id ?? '';
  }

  /**
   * Waits until the hub has logged nothing for `quietMs` — a stack still working through
   * what an earlier run left in outboxes and topics would otherwise be measured too.
   * Returns whether it went quiet within `limitMs`.
   */
  async waitIdle(quietMs: number, limitMs: number, say: (line: string) => void): Promise<boolean> {
    const start = Date.now();
    let [last, since, said] = [await this.lastEntryId(), Date.now(), Date.now()];
    while (Date.now() - since < quietMs) {
      if (Date.now() - start > limitMs) return false;
      if (Date.now() - said >= 5000) {
        say('the hub is still logging earlier traffic; waiting for it to go quiet');
        said = Date.now();
      }
      await new Promise((r) => setTimeout(r, 500));
      const now = await this.lastEntryId();
      if (now !== last) [last, since] = [now, Date.now()];
    }
    return true;
  }

  /**
   * Waits until every transaction of the phase is closed: none open, and either as many as
   * `expected` logged, or — when that is not known or never reached — the hub has logged
   * nothing at all for a while (a chain that stopped short then shows as missing; a hub
   * still working through a backlog is waited for). Gives up after `limitMs`.
   */
  async waitClosed(o: {
    ids: string[];
    expected?: number;
    sinceMs: number;
    limitMs: number;
    say(line: string): void;
  }): Promise<Closure> {
    const start = Date.now();
    let [lastTotal, lastEntry, quietSince, said] = [-1, '', start, start];
    for (;;) {
      const pending = await this.openSince(o.sinceMs - 1000);
      const entry = await this.lastEntryId();
      if (entry !== lastEntry) [lastEntry, quietSince] = [entry, Date.now()];
      if (pending === 0) {
        const byStatus = await this.statuses(o.ids);
        const total = Object.values(byStatus).reduce((s, n) => s + n, 0);
        if (total !== lastTotal) [lastTotal, quietSince] = [total, Date.now()];
        const complete = o.expected !== undefined && total >= o.expected;
        if ((byStatus.PENDING ?? 0) === 0 && (complete || Date.now() - quietSince > 10_000))
          return this.closure(o.ids, byStatus, o.expected, start, false);
      }
      if (Date.now() - start > o.limitMs)
        return this.closure(o.ids, await this.statuses(o.ids), o.expected, start, true);
      if (Date.now() - said >= 5000) {
        o.say(`draining: ${pending} transactions open, the hub still logging`);
        said = Date.now();
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private async closure(
    ids: string[],
    byStatus: Record<string, number>,
    expected: number | undefined,
    start: number,
    timedOut: boolean,
  ): Promise<Closure> {
    const total = Object.values(byStatus).reduce((s, n) => s + n, 0);
    const { rows } = await this.db.query<{ line: string }>(
      `SELECT count(*) || ' ' || status || ' at ' || consumer || ': ' || COALESCE(error_code, '-') AS line
         FROM transactions WHERE correlation_id = ANY($1) AND status NOT IN ('SUCCESS', 'PENDING')
        GROUP BY status, consumer, error_code ORDER BY count(*) DESC LIMIT 5`,
      [ids],
    );
    return {
      errors: rows.map((r) => r.line),
      byStatus,
      total,
      open: byStatus.PENDING ?? 0,
      missing: Math.max(0, (expected ?? total) - total),
      waitedSeconds: Math.round((Date.now() - start) / 100) / 10,
      timedOut,
    };
  }

  /** When each closed transaction of the phase was logged: its first receipt's entry. */
  async loggedTimes(ids: string[]): Promise<number[]> {
    const { rows } = await this.db.query<{ ms: number }>(
      `SELECT (extract(epoch FROM min(recorded_at)) * 1000)::float8 AS ms
         FROM log_entries WHERE correlation_id = ANY($1) AND kind = 'RECEIPT'
        GROUP BY event_id, consumer`,
      [ids],
    );
    return rows.map((r) => r.ms);
  }

  /** Publication → receipt of the phase's closed transactions, overall and per service. */
  async latency(ids: string[]): Promise<Latency[]> {
    const { rows } = await this.db.query<Latency>(
      `SELECT CASE WHEN GROUPING(service_code) = 1 THEN 'all' ELSE COALESCE(service_code, '?') END AS service,
              count(*)::int AS transactions,
              round(percentile_cont(0.50) WITHIN GROUP (ORDER BY GREATEST(latency_ms, 0)))::int AS "p50Ms",
              round(percentile_cont(0.95) WITHIN GROUP (ORDER BY GREATEST(latency_ms, 0)))::int AS "p95Ms",
              round(percentile_cont(0.99) WITHIN GROUP (ORDER BY GREATEST(latency_ms, 0)))::int AS "p99Ms",
              max(GREATEST(latency_ms, 0))::int AS "maxMs",
              count(*) FILTER (WHERE latency_ms < 0)::int AS negative
         FROM transactions
        WHERE correlation_id = ANY($1) AND status <> 'PENDING' AND latency_ms IS NOT NULL
        GROUP BY ROLLUP (service_code) ORDER BY GROUPING(service_code) DESC, service_code`,
      [ids],
    );
    return rows;
  }
}
