import {
  type PopulationSimulator,
  startPopulationSimulator,
} from '@apps/population-registry-simulator';
import { PermanentError, RetryLaterError } from '@lgsp/messaging';
import { Metrics } from '@lgsp/observability';
import pino from 'pino';
import {
  HttpPopulationRegistry,
  type HttpRegistrySettings,
  quotable,
  retryAfterMs,
  wireRequestId,
} from './http-population-registry';
import { RegistryUnavailableError } from './population-registry';

const CITIZEN = {
  personalId: '001185000201',
  fullName: 'Đỗ Thị Thu',
  sex: 'FEMALE' as const,
  dateOfBirth: '1985-03-04',
  permanentAddress: 'Số 3 Hàng Gai, Hoàn Kiếm, Hà Nội',
};
const CLAIM = [
  { personalId: CITIZEN.personalId, fullName: CITIZEN.fullName, dateOfBirth: CITIZEN.dateOfBirth },
];

/**
 * The national population API's client under failure: timeouts, retries with backoff,
 * the circuit breaker, and each failure classified as transient or permanent. Real HTTP on
 * loopback against the simulator, told to be slow, fail, hang or answer garbage.
 */
describe('HttpPopulationRegistry under failure', () => {
  let sim: PopulationSimulator;
  let metrics: Metrics;
  const client = (over: Partial<HttpRegistrySettings> = {}) =>
    new HttpPopulationRegistry(
      {
        url: sim.url,
        timeoutMs: 300,
        retries: 2,
        breakerFailures: 5,
        breakerOpenMs: 60_000,
        ...over,
      },
      metrics,
      pino({ level: 'silent' }),
    );
  const contractRequests = () => sim.requests().total;

  beforeAll(async () => {
    sim = await startPopulationSimulator();
  });
  beforeEach(() => {
    sim.reset();
    sim.seed([CITIZEN]);
    metrics = new Metrics('population-adapter');
  });
  afterAll(() => sim.close());

  it('retries a 503 and a timeout, and answers once the register does', async () => {
    sim.behave({ mode: 'fail', status: 503, count: 1 });
    expect(await client().checkIdentities(CLAIM)).toEqual([{ result: 'MATCH' }]);
    expect(contractRequests()).toBe(2);

    sim.reset();
    sim.seed([CITIZEN]);
    sim.behave({ mode: 'slow', delayMs: 1000, count: 1 });
    expect(await client().checkIdentities(CLAIM)).toEqual([{ result: 'MATCH' }]);
    expect(contractRequests()).toBe(2);
  });

  it('waits at least what Retry-After asks on a 429', async () => {
    sim.behave({ mode: 'fail', status: 429, count: 1 });
    const t0 = Date.now();
    expect(await client().checkIdentities(CLAIM)).toEqual([{ result: 'MATCH' }]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it.each([
    ['503 every time', { mode: 'fail', status: 503 }, /HTTP 503/],
    ['no answer (hangs)', { mode: 'hang' }, /no answer within 300 ms/],
    [
      'an answer that is not JSON',
      { mode: 'garbage', kind: 'not-json' },
      /contract does not allow/,
    ],
    [
      'JSON of the wrong shape',
      { mode: 'garbage', kind: 'wrong-shape' },
      /contract does not allow/,
    ],
  ] as const)(
    'gives up after its retries on %s: transient, RegistryUnavailableError',
    async (_, behaviour, message) => {
      sim.behave(behaviour);
      const call = client().checkIdentities(CLAIM);
      await expect(call).rejects.toBeInstanceOf(RegistryUnavailableError);
      await expect(call).rejects.toThrow(message);
      expect(contractRequests()).toBe(3);
    },
  );

  it('classifies a request the register refuses (4xx) as permanent, for the whole batch', async () => {
    const bad = [{ personalId: 'not-an-id', fullName: 'X', dateOfBirth: '1990-01-01' }];
    const call = client().checkIdentities(bad);
    await expect(call).rejects.toBeInstanceOf(PermanentError);
    await expect(call).rejects.toMatchObject({ code: 'POPULATION.REGISTRY_REQUEST_REFUSED' });
    expect(contractRequests()).toBe(1);
  });

  it('opens the circuit after repeated failures, fails fast while open, and closes after a good trial', async () => {
    sim.behave({ mode: 'fail', status: 500 });
    const registry = client({ retries: 0, breakerFailures: 3, breakerOpenMs: 500 });
    for (let i = 0; i < 3; i++)
      await expect(registry.checkIdentities(CLAIM)).rejects.toThrow(/HTTP 500/);
    expect(contractRequests()).toBe(3);
    await expect(registry.checkIdentities(CLAIM)).rejects.toThrow(/circuit open/);
    expect(contractRequests()).toBe(3); // nothing sent
    const scrape = await metrics.registry.metrics();
    expect(scrape).toContain(
      'lgsp_population_registry_circuit_open{service="population-adapter"} 1',
    );
    expect(scrape).toMatch(
      /lgsp_population_registry_requests_total\{[^}]*outcome="circuit_open"[^}]*\} 1/,
    );

    sim.behave({ mode: 'normal' });
    // Held back, for as long as the breaker says, until its trial call goes through.
    const answer = async (): Promise<unknown> => {
      try {
        return await registry.checkIdentities(CLAIM);
      } catch (e) {
        if (!(e instanceof RetryLaterError)) throw e;
        await new Promise((r) => setTimeout(r, e.retryInMs));
        return answer();
      }
    };
    expect(await answer()).toEqual([{ result: 'MATCH' }]);
    expect(contractRequests()).toBe(4);
    expect(await metrics.registry.metrics()).toContain(
      'lgsp_population_registry_circuit_open{service="population-adapter"} 0',
    );
  });

  it('treats a register that cannot be reached as transient', async () => {
    const closed = await startPopulationSimulator();
    const url = closed.url;
    await closed.close();
    const call = client({ url, retries: 1 }).checkIdentities(CLAIM);
    await expect(call).rejects.toBeInstanceOf(RegistryUnavailableError);
    await expect(call).rejects.toThrow(/cannot reach/);
  });
  it('asks the consumer to wait, without charging an attempt, when Retry-After is long', async () => {
    sim.behave({ mode: 'fail', status: 503, retryAfterSeconds: 30 });
    const call = client().checkIdentities(CLAIM);
    await expect(call).rejects.toBeInstanceOf(RetryLaterError);
    await expect(call).rejects.toMatchObject({ retryInMs: 30_000 });
    expect(contractRequests()).toBe(1);
  });

  it('treats a service-level 4xx (credentials refused) as transient: it opens the circuit, it fails no record', async () => {
    const guarded = await startPopulationSimulator({ token: 'right' });
    try {
      guarded.seed([CITIZEN]);
      const registry = new HttpPopulationRegistry(
        {
          url: guarded.url,
          token: 'wrong',
          timeoutMs: 300,
          retries: 1,
          breakerFailures: 2,
          breakerOpenMs: 60_000,
        },
        metrics,
        pino({ level: 'silent' }),
      );
      const call = registry.checkIdentities(CLAIM);
      await expect(call).rejects.toBeInstanceOf(RegistryUnavailableError);
      await expect(call).rejects.toThrow('HTTP 401 UNAUTHORISED');
      // The circuit is open now: the next call is held back, not tried and not failed.
      await expect(registry.checkIdentities(CLAIM)).rejects.toBeInstanceOf(RetryLaterError);
      expect(guarded.requests().total).toBe(2);
    } finally {
      await guarded.close();
    }
  });

  it('calls an API served under a path prefix (behind a gateway)', async () => {
    const gateway = await startPopulationSimulator({ basePath: '/dancu' });
    try {
      gateway.seed([CITIZEN]);
      expect(gateway.url.endsWith('/dancu')).toBe(true);
      expect(await client({ url: gateway.url }).checkIdentities(CLAIM)).toEqual([
        { result: 'MATCH' },
      ]);
      expect(await client({ url: `${gateway.url}/` }).lookUp(CITIZEN.personalId)).toMatchObject({
        personalId: CITIZEN.personalId,
        status: 'ALIVE',
      });
    } finally {
      await gateway.close();
    }
  });

  it('refuses a registration whose ID is not of the newborn’s province, sex and year', async () => {
    // The simulator is right; an answer for another newborn's prefix is what a wrong one looks like.
    const registry = client({ retries: 0 });
    const newborn = {
      requestId: 'event-1',
      birthRegistrationId: '0b6f4f8e-7d7e-4c8b-9a6f-1f0e2d3c4b5a',
      fullName: 'Đỗ Minh Khôi',
      sex: 'MALE' as const,
      dateOfBirth: '2026-11-02',
      provinceCode: '01',
      motherId: CITIZEN.personalId,
    };
    const [ok] = await registry.registerNewborns([newborn]);
    expect(ok).toMatchObject({ personalId: expect.stringMatching(/^001226/) as string });
    // The same registration id, now claimed as a girl: the register answers the boy's ID.
    await expect(registry.registerNewborns([{ ...newborn, sex: 'FEMALE' }])).rejects.toThrow(
      /contract does not allow/,
    );
  });
});

describe('what the client quotes and reads of answers', () => {
  it('masks runs of nine or more digits and keeps one short line', () => {
    expect(quotable('công dân 001185000201\n không khớp')).toBe('công dân […] không khớp');
    expect(quotable('x'.repeat(500))).toHaveLength(200);
  });

  it('sends a request id the contract takes: a long one by its digest, always the same', () => {
    expect(wireRequestId('01a24bf4-d4d5-7668-b675-e4c14e2732d1')).toBe(
      '01a24bf4-d4d5-7668-b675-e4c14e2732d1',
    );
    const long = 'x'.repeat(300);
    expect(wireRequestId(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(wireRequestId(long)).toBe(wireRequestId(long));
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-06T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(null, now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBe(0);
    // A gateway asking for days is asked again after five minutes.
    expect(retryAfterMs('86400', now)).toBe(300_000);
    expect(retryAfterMs('Fri, 01 Jan 2027 00:00:00 GMT', now)).toBe(300_000);
  });
});
