import { civilStatusService } from '@apps/civil-status';
import { eventually, http, query, TestStack, testRun } from '@lgsp/testing';

type Probe = { status: 'ok' | 'down'; checks: Record<string, string> };

/**
 * Liveness and readiness of a service on the real broker and database: ready once its
 * consumer is a member of its group and its database answers; not ready, but alive, while
 * its database refuses connections; ready again when the database is back. `/health` keeps
 * its meaning (the database and the broker answer).
 */
describe('health probes: /health/live and /health/ready', () => {
  let stack: TestStack;
  const probe = (path: string) => http<Probe>('GET', `${stack.url('civil-status')}${path}`);

  beforeAll(async () => {
    stack = await TestStack.start([civilStatusService], { suffix: '_readiness' });
  });

  afterAll(() => stack.close());

  it('is ready once its consumer has partitions and its database answers', async () => {
    const ready = await eventually(
      async () => {
        const res = await probe('/health/ready');
        return res.status === 200 ? res : undefined;
      },
      { timeoutMs: 30_000, what: '/health/ready answers 200' },
    );
    expect(ready.body.status).toBe('ok');
    expect(ready.body.checks.database).toBe('up');
    expect(ready.body.checks.consumer).toMatch(/^up: [1-9]\d* partitions? assigned$/);
    expect(ready.body.checks).not.toHaveProperty('kafka');

    const health = await probe('/health');
    expect(health.status).toBe(200);
    expect(health.body.checks).toEqual({ database: 'up', kafka: 'up' });
    expect((await probe('/health/live')).body).toEqual({ status: 'ok' });
  });

  it('is not ready, but alive, while its database refuses connections', async () => {
    const admin = testRun().postgresUrl;
    const db = new URL(stack.databaseUrl('civil-status')).pathname.slice(1);
    const allow = (on: boolean) =>
      query(admin, `ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS ${on}`);
    await allow(false);
    try {
      await query(
        admin,
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [db],
      );
      const down = await eventually(
        async () => {
          const res = await probe('/health/ready');
          return res.status === 503 ? res : undefined;
        },
        { timeoutMs: 15_000, what: '/health/ready answers 503' },
      );
      expect(down.body.status).toBe('down');
      expect(down.body.checks.database).toMatch(/^down: /);
      expect(down.body.checks.consumer).toMatch(/^up/);
      expect((await probe('/health/live')).status).toBe(200);
    } finally {
      await allow(true);
    }
    await eventually(
      async () => ((await probe('/health/ready')).status === 200 ? true : undefined),
      { timeoutMs: 15_000, what: '/health/ready answers 200 again' },
    );
  });
});
