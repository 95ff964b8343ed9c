import { createHash } from 'node:crypto';
import { type Metrics, type RunCondition, settleWithin } from '@lgsp/observability';
import { Client } from 'pg';
import type { Logger } from 'pino';

/**
 * First key of every lease's advisory lock (the two-key form): apart from the one-key locks
 * that the outbox relay and the tasks' own transactions take.
 */
const LEASE_NAMESPACE = 724_155;

/** How often, by default, a replica that does not lead tries to, and the leader checks in. */
export const DEFAULT_LEASE_RETRY_SECONDS = 2;

/** How long `stop` waits for a round under way and for the connection to close. */
const STOP_WAIT_MS = 1000;

/** The advisory lock of a task's lease: the namespace and a 32-bit hash of the task's name. */
export function leaseKey(task: string): [number, number] {
  return [LEASE_NAMESPACE, createHash('sha256').update(task).digest().readInt32BE(0)];
}

export interface LeaseTiming {
  retryMs: number;
  /** A check of the leader's connection that takes longer than this counts as a lost lease. */
  checkTimeoutMs: number;
  /**
   * The server ends a lease's session idle this long (`idle_session_timeout`), which frees
   * its lock: a leader that stopped answering — frozen, or cut off from the server — is
   * replaced after it. It exceeds a round plus its check, so a leader that can no longer
   * reach the server has given the lease up before another replica can take it.
   */
  idleSessionTimeoutMs: number;
}

export function leaseTiming(retrySeconds: number): LeaseTiming {
  const retryMs = Math.round(retrySeconds * 1000);
  return { retryMs, checkTimeoutMs: retryMs, idleSessionTimeoutMs: Math.max(5 * retryMs, 1000) };
}

export interface LeaderLeaseOptions {
  databaseUrl: string;
  /** The task led: the lock's key and the `task` label of `lgsp_leader`. */
  task: string;
  logger: Logger;
  metrics: Metrics;
  retrySeconds?: number;
}

/**
 * Makes one replica of a service the leader of a periodic task. The lease is a session-level
 * PostgreSQL advisory lock held on a connection of its own: a replica that does not lead tries
 * to take it every round; the leader checks in every round, and a lost or silent connection is
 * a lost lease at once. When the leader dies, its session ends and another replica takes over
 * at its next round; a leader that hangs is cut off by the server after `idleSessionTimeoutMs`.
 * A replica that lost the lease but lives on tries again only after a round and a half,
 * so that one whose connection held takes over first.
 * The lease needs a direct connection (or session pooling): a pooler in transaction mode
 * would hand the lock to whichever session comes next.
 */
export class LeaderLease implements RunCondition {
  private client?: Client;
  private pid?: number;
  private leading = false;
  /** Until when a replica that just lost the lease leaves it to the others (ms since epoch). */
  private asideUntil = 0;
  private running = false;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private readonly key: [number, number];
  private readonly timing: LeaseTiming;
  private readonly gauge;

  constructor(private readonly opts: LeaderLeaseOptions) {
    this.key = leaseKey(opts.task);
    this.timing = leaseTiming(opts.retrySeconds ?? DEFAULT_LEASE_RETRY_SECONDS);
    this.gauge = opts.metrics.gauge({
      name: 'lgsp_leader',
      help: 'Whether this replica leads the periodic task (1) or not (0)',
      labelNames: ['task'],
    });
    this.gauge.set({ task: opts.task }, 0);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** The server process of the lease's connection, when connected. */
  get backendPid(): number | undefined {
    return this.pid;
  }

  /** Tries at once, so that the first replica up leads from its start, then every round. */
  async start(): Promise<void> {
    this.running = true;
    await this.nextRound();
    this.schedule();
  }

  /** Gives the lease up: closing the session frees the lock for the next replica's round. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await settleWithin(this.round, STOP_WAIT_MS);
    const client = this.client;
    this.client = undefined;
    if (this.leading) this.setLeading(false, 'released the leader lease');
    if (client) await settleWithin(client.end(), STOP_WAIT_MS);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(
      () => void this.nextRound().then(() => this.schedule()),
      this.timing.retryMs,
    );
    this.timer.unref();
  }

  private nextRound(): Promise<void> {
    this.round = this.once().finally(() => (this.round = undefined));
    return this.round;
  }

  private async once(): Promise<void> {
    let client = this.client;
    try {
      client ??= await this.connect();
      if (this.leading) {
        await client.query('SELECT 1');
        return;
      }
      if (Date.now() < this.asideUntil) return;
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, $2) AS ok',
        this.key,
      );
      if (rows[0]?.ok === true && this.running && this.client === client) {
        this.setLeading(true, 'took the leader lease');
      }
    } catch (e) {
      if (client) this.drop(client, (e as Error).message);
      else
        this.opts.logger.debug(
          { task: this.opts.task, err: (e as Error).message },
          'lease: no connection',
        );
    }
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.opts.databaseUrl,
      application_name: `lgsp-lease:${this.opts.task}`,
      keepAlive: true,
      query_timeout: this.timing.checkTimeoutMs,
      connectionTimeoutMillis: this.timing.checkTimeoutMs,
    });
    client.on('error', (e) => this.drop(client, e.message));
    client.on('end', () => this.drop(client, 'connection closed'));
    try {
      await client.connect();
      const { rows } = await client.query<{ pid: number }>(
        `SELECT pg_backend_pid() AS pid, set_config('idle_session_timeout', $1, false)`,
        [`${this.timing.idleSessionTimeoutMs}ms`],
      );
      this.pid = rows[0].pid;
    } catch (e) {
      void client.end().catch(() => undefined);
      throw e;
    }
    this.client = client;
    return client;
  }

  /** The lease's connection failed or closed: whatever this replica led, it leads no more. */
  private drop(client: Client, reason: string): void {
    void client.end().catch(() => undefined);
    if (this.client !== client) return;
    this.client = undefined;
    if (this.leading) {
      // Whatever cut this connection may have touched this replica only: a replica whose
      // connection held takes the lease at its next round, before this one tries again.
      this.asideUntil = Date.now() + 1.5 * this.timing.retryMs;
      this.setLeading(false, 'lost the leader lease', reason);
    }
    this.pid = undefined;
  }

  private setLeading(leading: boolean, message: string, reason?: string): void {
    this.leading = leading;
    this.gauge.set({ task: this.opts.task }, leading ? 1 : 0);
    const fields = { task: this.opts.task, backendPid: this.pid, ...(reason && { reason }) };
    if (reason) this.opts.logger.warn(fields, message);
    else this.opts.logger.info(fields, message);
  }
}

/** Makes the leases of one service's database; the hub's periodic tasks each take one. */
export class LeaderLeases {
  constructor(private readonly opts: Omit<LeaderLeaseOptions, 'task'>) {}

  lease(task: string): LeaderLease {
    return new LeaderLease({ ...this.opts, task });
  }
}
