import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { type Metrics, settleWithin } from '@lgsp/observability';
import { OUTBOX_CHANNEL } from './outbox.entities';
import { recordBytes, sendableKey, sendablePrefix } from './sendable';

interface Row {
  id: string;
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  payload: Buffer | null;
}

export interface RelayOptions {
  databaseUrl: string;
  batchSize?: number;
  /** Safety net in case a notification is missed; the normal path is LISTEN/NOTIFY. */
  pollIntervalMs?: number;
}

/** Advisory lock id: one active relay per database keeps per-key order across replicas. */
const RELAY_LOCK = 724_155_001;

/**
 * How long `stop` waits for a drain under way, and for the listener to close. A send to a
 * broker that is gone keeps retrying for much longer; its rows stay in the outbox (the
 * transaction that would delete them never commits) and the next start sends them.
 */
const STOP_WAIT_MS = 2000;

/** How long after losing its listening connection the relay connects again. */
const RELISTEN_MS = 1000;

/**
 * Publishes outbox rows to Kafka. Woken by NOTIFY on insert (low latency), it drains
 * in batches: claims rows, sends them with acks from all in-sync replicas, and deletes
 * them in the same transaction. A crash after the send and before the commit publishes
 * those rows again (at least once on the wire; consumers are idempotent).
 */
export class OutboxRelay {
  private listener?: Client;
  private running = false;
  private draining?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private leader = false;
  private failures = 0;
  /** Ends the backoff after a failed drain early, when the relay stops. */
  private wakeFromBackoff?: () => void;
  private readonly published;
  private readonly backlog;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly logger: Logger,
    metrics: Metrics,
    private readonly opts: RelayOptions,
  ) {
    this.published = metrics.counter({
      name: 'lgsp_outbox_published_total',
      help: 'Outbox messages published to Kafka',
    });
    this.backlog = metrics.gauge({
      name: 'lgsp_outbox_backlog',
      help: 'Outbox messages not yet published, as of the last drain',
    });
  }

  async start(): Promise<void> {
    this.running = true;
    try {
      await this.listen();
    } catch (e) {
      this.running = false;
      throw e;
    }
    this.tick();
  }

  /**
   * The listening connection carries the notifications and the leadership: the advisory lock
   * is held by its session. When that connection goes (the server restarted, the session was
   * ended), the lock went with it and another replica may take it at once, so this one stops
   * leading there and then — two relays draining together would break the order per key —
   * and listens again on a new connection, as a follower until it wins the lock again.
   */
  private async listen(): Promise<void> {
    const listener = new Client({ connectionString: this.opts.databaseUrl });
    listener.on('notification', () => this.kick());
    listener.on('error', (e) => {
      this.logger.warn({ err: e.message }, 'outbox listener connection lost');
      this.lost(listener);
    });
    listener.on('end', () => this.lost(listener));
    this.listener = listener;
    try {
      await listener.connect();
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (e) {
      this.lost(listener);
      throw e;
    }
  }

  private lost(listener: Client): void {
    if (this.listener !== listener) return;
    this.listener = undefined;
    if (this.leader)
      this.logger.warn('outbox relay lost its lock with its connection; follows again');
    this.leader = false;
    listener.end().catch(() => undefined);
    if (!this.running) return;
    const again = setTimeout(() => {
      if (!this.running || this.listener) return;
      // A failure has already scheduled the next try (lost).
      this.listen().catch((e: unknown) =>
        this.logger.warn({ err: (e as Error).message }, 'outbox listener could not connect again'),
      );
    }, RELISTEN_MS);
    again.unref();
  }

  /** Request a drain; coalesces with one already under way. */
  kick(): void {
    if (!this.running) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => {
      this.draining = undefined;
      if (this.again && this.running) {
        this.again = false;
        this.kick();
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.wakeFromBackoff?.();
    if ((await settleWithin(this.draining, STOP_WAIT_MS)) === 'timed-out') {
      this.logger.warn('a drain was still sending at shutdown; its rows stay in the outbox');
    }
    const listener = this.listener;
    this.listener = undefined;
    await settleWithin(listener?.end(), STOP_WAIT_MS);
  }

  private tick(): void {
    this.timer = setTimeout(() => {
      this.kick();
      if (this.running) this.tick();
    }, this.opts.pollIntervalMs ?? 1000);
  }

  private async drainLoop(): Promise<void> {
    try {
      if (!(await this.acquireLeadership())) return;
      // Before each batch, the listening session must still hold the lock: a session the
      // server ended is noticed here, not only when its 'end' event comes, so a relay that
      // lost the lead does not send beside the one that took it.
      // A batch that was not full took every row committed when it read them; rows committed
      // since come with their own notification, which runs the loop again (`again`).
      while (this.running && (await this.stillLeader()) && (await this.drainOnce())) {
        /* keep draining while full batches come */
      }
      this.failures = 0;
    } catch (e) {
      this.failures++;
      const delay = Math.min(5000, 100 * 2 ** this.failures) * (0.5 + Math.random() / 2);
      this.logger.warn(
        { err: (e as Error).message, retryInMs: Math.round(delay) },
        'outbox relay failed; will retry',
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeFromBackoff = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeFromBackoff = undefined;
      this.again = true;
    }
  }

  private async acquireLeadership(): Promise<boolean> {
    if (this.leader || !this.listener) return this.leader;
    const r = await this.listener.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
      RELAY_LOCK,
    ]);
    this.leader = r.rows[0]?.ok === true;
    return this.leader;
  }

  private async stillLeader(): Promise<boolean> {
    if (!this.leader || !this.listener) return false;
    try {
      const r = await this.listener.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                          AND pid = pg_backend_pid() AND classid = 0 AND objid = $1) AS held`,
        [RELAY_LOCK],
      );
      this.leader = r.rows[0]?.held === true;
    } catch {
      this.leader = false;
    }
    return this.leader;
  }

  /** One claimed batch, sent and deleted atomically; answers whether rows may be left. */
  private async drainOnce(): Promise<boolean> {
    const batchSize = this.opts.batchSize ?? 1000;
    return this.dataSource.transaction(async (tx) => {
      // The commit need not wait for its WAL flush: if the server loses it in a crash, the
      // rows come back and are sent again — at least once on the wire, as after any crash
      // between send and commit; consumers are idempotent.
      await tx.query('SET LOCAL synchronous_commit = off');
      const rows: Row[] = await tx.query(
        'SELECT id, topic, key, headers, payload FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [batchSize],
      );
      if (rows.length === 0) {
        this.backlog.set(0);
        return false;
      }
      const sent = sendablePrefix(rows, recordBytes);
      const byTopic = new Map<
        string,
        { key: string | null; value: Buffer | null; headers: Record<string, string> }[]
      >();
      for (const r of sent) {
        const list = byTopic.get(r.topic) ?? [];
        list.push({ key: sendableKey(r.key), value: r.payload, headers: r.headers });
        byTopic.set(r.topic, list);
      }
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      await tx.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [sent.map((r) => r.id)]);
      this.published.inc(sent.length);
      const full = rows.length === batchSize;
      this.backlog.set(full ? batchSize : rows.length - sent.length);
      // Rows held back by the size of a request are sent by the next batch.
      return full || sent.length < rows.length;
    });
  }
}
