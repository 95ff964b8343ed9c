import { hubService } from '@apps/hub';
import { VALID_EXAMPLES } from '@lgsp/contracts';
import {
  eventRecord,
  eventually,
  http,
  issueKey,
  produceRaw,
  query,
  TEST_ADMIN_KEY,
  TestStack,
} from '@lgsp/testing';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };

type Latency = { max: number | null; p50: number | null; p95: number | null };
type Point = { at: string; counts: { SUCCESS: number }; latencyMs: Latency };
type Stats = { groups: { group: string; latencyMs: Latency; series?: Point[] }[] };
type GroupLag = {
  system: string;
  groupId: string;
  lag: number | null;
  state: string;
  topics: { topic: string; lag: number }[];
};
type Subscription = {
  consumer: string;
  service: string;
  purpose: string;
  legalBasis: string | null;
  status: string;
};

describe('hub: what the console shows operators — latency per step, consumer lag, legal bases', () => {
  let stack: TestStack;
  let operator: { 'x-api-key': string };
  const hub = (path: string) => `${stack.url('hub')}${path}`;

  beforeAll(async () => {
    stack = await TestStack.start([hubService], { suffix: '_operator_views' });
    operator = { 'x-api-key': await issueKey(stack.url('hub'), 'OPERATOR') };
  });

  afterAll(() => stack.close());

  /** Successful deliveries of `service` published at `at`, one per latency. */
  const delivered = (service: string, at: Date, latencies: number[]) =>
    query(
      stack.databaseUrl('hub'),
      `INSERT INTO transactions (event_id, consumer, event_type, service_code, provider, status,
                                 published_at, completed_at, latency_ms)
       SELECT gen_random_uuid()::text, 'population', 'civil-status.birth-registered.v1', $1,
              'civil-status', 'SUCCESS', $2::timestamptz, $2::timestamptz + make_interval(secs => v / 1000.0), v
         FROM unnest($3::int[]) AS v`,
      [service, at.toISOString(), latencies],
    );

  const minuteAgo = (n: number) => {
    const d = new Date(Date.now() - n * 60_000);
    d.setUTCSeconds(10, 0);
    return d;
  };

  const series = async (service: string) => {
    const now = Date.now();
    const q = `from=${new Date(now - 10 * 60_000).toISOString()}&to=${new Date(now + 60_000).toISOString()}&groupBy=service&step=minute`;
    const r = await http<Stats>('GET', hub(`/stats?${q}`), undefined, operator);
    expect(r.status).toBe(200);
    return r.body.groups.find((g) => g.group === service)!;
  };

  it('gives the p95 latency of every step of a series, exact for a small window', async () => {
    // 0, 10, … 200 ms one minute; nineteen of 100 ms and one of 5,000 ms the next.
    await delivered(
      'latency-probe',
      minuteAgo(3),
      Array.from({ length: 21 }, (_, i) => i * 10),
    );
    await delivered('latency-probe', minuteAgo(2), [...Array<number>(19).fill(100), 5000]);
    const stat = await series('latency-probe');
    const steps = stat.series!.filter((s) => s.counts.SUCCESS > 0);
    expect(steps.map((s) => s.latencyMs)).toEqual([
      expect.objectContaining({ max: 200, p50: 100, p95: 190 }),
      expect.objectContaining({ max: 5000, p50: 100, p95: 345 }),
    ]);
    expect(stat.latencyMs.max).toBe(5000);
  });

  it('gives it from the roll-up histograms for a large window, within each step’s maximum', async () => {
    // 10,001 more transactions: the window is read from the histograms only.
    await delivered(
      'latency-bulk',
      minuteAgo(1),
      Array.from({ length: 10_001 }, (_, i) => (i % 100) + 1),
    );
    const bulk = (await series('latency-bulk')).series!.find((s) => s.counts.SUCCESS > 0)!;
    // Exact p95 is 95 ms, in the bucket of 50–100 ms.
    expect(bulk.latencyMs.p95).toBeGreaterThanOrEqual(50);
    expect(bulk.latencyMs.p95).toBeLessThanOrEqual(100);
    expect(bulk.latencyMs.max).toBe(100);
    for (const s of (await series('latency-probe')).series!.filter((p) => p.counts.SUCCESS > 0))
      expect(s.latencyMs.p95).toBeLessThanOrEqual(s.latencyMs.max!);
  });

  it('reports a subscriber’s consumer lag from the broker, to operators only', async () => {
    const births = [1, 2, 3].map(() =>
      eventRecord(
        stack,
        'civil-status',
        'civil-status.birth-registered.v1',
        VALID_EXAMPLES['civil-status.birth-registered.v1'],
      ),
    );
    await produceRaw(
      births[0].topic,
      births.map((b) => b.message),
    );
    // The population adapter is not running: its group has read none of them.
    const population = await eventually(
      async () => {
        const r = await http<{ groups: GroupLag[] }>(
          'GET',
          hub('/consumer-lag'),
          undefined,
          operator,
        );
        expect(r.status).toBe(200);
        const g = r.body.groups.find((x) => x.system === 'population');
        return g?.lag === 3 ? g : undefined;
      },
      { what: 'three records of lag for population', timeoutMs: 30_000 },
    );
    expect(population.groupId).toBe(`${stack.topicPrefix()}lgsp.population`);
    expect(population.topics).toEqual([{ topic: births[0].topic, lag: 3, partitionsBehind: 1 }]);
    expect(['Empty', 'Dead']).toContain(population.state);

    const auditor = { 'x-api-key': await issueKey(stack.url('hub'), 'AUDITOR') };
    const refused = await http<{ code: string }>('GET', hub('/consumer-lag'), undefined, auditor);
    expect([refused.status, refused.body.code]).toEqual([403, 'HUB.FORBIDDEN']);
  });

  it('states the purpose and legal basis of every subscription, and lets an administrator set them', async () => {
    const list = async () =>
      (await http<Subscription[]>('GET', hub('/catalogue/subscriptions'))).body;
    const seeded = await list();
    expect(seeded.every((s) => s.purpose && s.legalBasis)).toBe(true);
    expect(seeded).toContainEqual(
      expect.objectContaining({
        consumer: 'insurance',
        service: 'citizen-registration',
        legalBasis: expect.stringContaining('Nghị định 146/2018/NĐ-CP') as string,
      }),
    );

    const path = hub('/catalogue/subscriptions/land/citizen-death');
    const legalBasis = 'Luật Đất đai 2024, Điều 133';
    const patched = await http<Subscription>('PATCH', path, { legalBasis }, ADMIN);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ legalBasis, status: 'ACTIVE' });
    expect(
      (await list()).find((s) => s.consumer === 'land' && s.service === 'citizen-death'),
    ).toMatchObject({ legalBasis, purpose: patched.body.purpose });

    const actions = await http<{ items: { target: string }[] }>(
      'GET',
      hub('/audit/admin-actions?target=land/citizen-death'),
      undefined,
      ADMIN,
    );
    expect(actions.body.items).toHaveLength(1);
    const refused = await http<{ code: string }>('PATCH', path, { legalBasis }, operator);
    expect(refused.status).toBe(403);
    const missing = await http<{ code: string }>(
      'PATCH',
      hub('/catalogue/subscriptions/land/birth-registration'),
      { legalBasis },
      ADMIN,
    );
    expect([missing.status, missing.body.code]).toEqual([404, 'CATALOGUE.SUBSCRIPTION_NOT_FOUND']);
    const invalid = await http<{ code: string }>('PATCH', path, { legalBasis: ' x' }, ADMIN);
    expect([invalid.status, invalid.body.code]).toEqual([400, 'REQUEST.VALIDATION_FAILED']);
  });
});
