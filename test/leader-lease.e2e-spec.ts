import { Metrics, PeriodicTask } from '@lgsp/observability';
import { dropDatabase, ensureDatabase, LeaderLease } from '@lgsp/persistence';
import { databaseUrl, eventually, testRun } from '@lgsp/testing';
import { Client } from 'pg';
import pino from 'pino';

const RETRY_SECONDS = 0.2;
/** A round, plus room for a machine busy with other work. */
const TAKEOVER_DEADLINE_MS = 5 * RETRY_SECONDS * 1000;

/** One replica of a service: its lease, and a periodic task that counts its runs. */
class Replica {
  runs = 0;
  readonly task: PeriodicTask;

  constructor(
    readonly name: string,
    readonly lease: LeaderLease,
    readonly metrics: Metrics,
  ) {
    const count = () => {
      this.runs++;
      return Promise.resolve();
    };
    this.task = new PeriodicTask(count, 'failed', pino({ level: 'silent' }), lease);
  }
}

describe('LeaderLease', () => {
  const { runId, postgresUrl } = testRun();
  const url = databaseUrl(postgresUrl, `lgsp_${runId}_leader_lease`);
  const logger = pino({ level: 'silent' });
  let admin: Client;
  let replicas: Replica[] = [];

  async function replica(name: string, task = 'sealing'): Promise<Replica> {
    const metrics = new Metrics(name);
    const lease = new LeaderLease({
      databaseUrl: url,
      task,
      logger,
      metrics,
      retrySeconds: RETRY_SECONDS,
    });
    const r = new Replica(name, lease, metrics);
    replicas.push(r);
    await lease.start();
    r.task.start(0.02, 0);
    return r;
  }

  /** Waits for a condition of this process's own state, failing after the deadline. */
  const until = (condition: () => boolean, what: string, timeoutMs = TAKEOVER_DEADLINE_MS) =>
    eventually(() => Promise.resolve(condition() ? true : undefined), {
      timeoutMs,
      intervalMs: 10,
      what,
    });
  const leaders = (...rs: Replica[]) => rs.filter((r) => r.lease.isLeader).map((r) => r.name);
  const ranAgain = (r: Replica, times: number) => {
    const from = r.runs;
    return until(() => r.runs >= from + times, `${r.name} to run ${times} more times`, 5000);
  };
  const leaderGauge = async (r: Replica) => {
    const text = await r.metrics.registry.getSingleMetricAsString('lgsp_leader');
    return /lgsp_leader\{[^}]*task="sealing"[^}]*\} (\d)/.exec(text)?.[1];
  };

  beforeAll(async () => {
    await ensureDatabase(url);
    admin = new Client({ connectionString: url });
    await admin.connect();
  });

  afterEach(async () => {
    for (const r of replicas) {
      await r.task.stop();
      await r.lease.stop();
    }
    replicas = [];
  });

  afterAll(async () => {
    await admin.end();
    await dropDatabase(url);
  });

  it('lets one replica of two lead, and only the leader runs the task', async () => {
    const a = await replica('a');
    const b = await replica('b');
    expect(leaders(a, b)).toEqual(['a']);
    await ranAgain(a, 3);
    expect(b.runs).toBe(0);
    expect(await leaderGauge(a)).toBe('1');
    expect(await leaderGauge(b)).toBe('0');
  });

  it('hands over within a round when the leader’s connection is cut, and the old leader stops its runs', async () => {
    const a = await replica('a');
    const b = await replica('b');
    expect(leaders(a, b)).toEqual(['a']);
    await ranAgain(a, 2);

    const cutAt = Date.now();
    await admin.query('SELECT pg_terminate_backend($1)', [a.lease.backendPid]);
    await until(() => !a.lease.isLeader, 'a to notice it lost the lease');
    const runsOfA = a.runs;
    await until(() => b.lease.isLeader, 'b to take the lease over');
    const takeoverMs = Date.now() - cutAt;
    expect(takeoverMs).toBeLessThan(TAKEOVER_DEADLINE_MS);

    await ranAgain(b, 3);
    expect(a.runs).toBe(runsOfA);
    // a is back on a new connection, trying every round, and does not lead.
    await until(() => a.lease.backendPid !== undefined, 'a to reconnect');
    await ranAgain(b, 2);
    expect(leaders(a, b)).toEqual(['b']);
    expect(await leaderGauge(a)).toBe('0');
    expect(await leaderGauge(b)).toBe('1');
  });

  it('hands over within a round when the leader closes its lease', async () => {
    const a = await replica('a');
    const b = await replica('b');
    expect(leaders(a, b)).toEqual(['a']);
    await a.task.stop();
    await a.lease.stop();
    expect(await leaderGauge(a)).toBe('0');
    await until(() => b.lease.isLeader, 'b to take the lease over');
    await ranAgain(b, 2);
  });

  it('is ended by the server when its replica stops answering, which frees the lock', async () => {
    const a = await replica('a');
    const frozenPid = a.lease.backendPid;
    // The whole process stops for longer than the lease's idle_session_timeout (5 rounds).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 7 * RETRY_SECONDS * 1000);
    const [{ alive }] = (
      await admin.query<{ alive: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1) AS alive',
        [frozenPid],
      )
    ).rows;
    expect(alive).toBe(false);
    await until(
      () => a.lease.isLeader && a.lease.backendPid !== frozenPid,
      'a to lead again on a new connection',
    );
  });

  it('keeps the leases of different tasks apart', async () => {
    const a = await replica('a', 'sealing');
    const b = await replica('b', 'delivery-deadlines');
    expect(leaders(a, b)).toEqual(['a', 'b']);
  });
});
