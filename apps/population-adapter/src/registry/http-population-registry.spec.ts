import {
  type PopulationSimulator,
  startPopulationSimulator,
} from '@apps/population-registry-simulator';
import { PermanentError } from '@lgsp/messaging';
import { Metrics } from '@lgsp/observability';
import pino from 'pino';
import { HttpPopulationRegistry, type HttpRegistrySettings } from './http-population-registry';
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
    await new Promise((r) => setTimeout(r, 550));
    expect(await registry.checkIdentities(CLAIM)).toEqual([{ result: 'MATCH' }]);
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
});
