import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { populationService } from '@apps/population-adapter';
import {
  type PopulationSimulator,
  startPopulationSimulator,
} from '@apps/population-registry-simulator';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  aBirthOfRegisteredParents,
  eventually,
  http,
  issueKey,
  Rng,
  TEST_ADMIN_KEY,
  TestStack,
} from '@lgsp/testing';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };

type Tx = {
  eventId: string;
  consumer: string;
  eventType: string;
  status: string;
  errorCode: string | null;
  attempts: number | null;
};

/**
 * The birth chain with the national population API behind the adapter, when that API
 * misbehaves: a short outage is ridden out by retries; a register answering garbage for
 * longer ends in a FAILED transaction and a dead letter, replayed once it answers again.
 */
describe('the birth chain when the national population API misbehaves (POPULATION_REGISTRY=http)', () => {
  let stack: TestStack;
  let simulator: PopulationSimulator;
  let operator: Record<string, string>;
  const rng = new Rng(11);
  const hub = (path: string) => `${stack.url('hub')}${path}`;

  /** A birth of registered parents, sent to civil status; its event's id. */
  async function birth(correlationId: string): Promise<string> {
    const { birth, parents } = aBirthOfRegisteredParents(rng);
    simulator.seed(parents);
    const res = await http<{ registrationId: string }>(
      'POST',
      `${stack.url('civil-status')}/births`,
      birth,
      { 'x-correlation-id': correlationId },
    );
    expect(res.status).toBe(201);
    const [tx] = await eventually(
      async () => {
        const r = await http<Tx[]>(
          'GET',
          hub(`/transactions?correlationId=${correlationId}&consumer=population`),
          undefined,
          ADMIN,
        );
        return r.body.length ? r.body : undefined;
      },
      { what: `the birth of ${correlationId} at the hub`, timeoutMs: 30_000 },
    );
    return tx.eventId;
  }

  const population = (eventId: string, status: string) =>
    eventually(
      async () => {
        const r = await http<Tx[]>('GET', hub(`/transactions/${eventId}`), undefined, ADMIN);
        const tx = r.body.find?.((t) => t.consumer === 'population');
        return tx?.status === status ? tx : undefined;
      },
      { what: `population's transaction of ${eventId} ${status}`, timeoutMs: 60_000 },
    );

  beforeAll(async () => {
    simulator = await startPopulationSimulator();
    stack = await TestStack.start(
      [civilStatusService, populationService, hubService] as ServiceDefinition[],
      {
        suffix: '_registry_outage',
        env: {
          POPULATION_REGISTRY: 'http',
          POPULATION_REGISTRY_URL: simulator.url,
          POPULATION_REGISTRY_TIMEOUT_MS: '300',
          POPULATION_REGISTRY_BREAKER_OPEN_MS: '500',
          CONSUMER_MAX_ATTEMPTS: '3',
        },
      },
    );
    operator = { 'x-api-key': await issueKey(stack.url('hub'), 'OPERATOR') };
  });

  afterAll(async () => {
    await stack.close();
    await simulator.close();
  });

  it('rides out a short outage: the newborn gets an ID once the register answers', async () => {
    simulator.behave({ mode: 'fail', status: 503, count: 4 });
    const eventId = await birth('outage-short');
    const tx = await population(eventId, 'SUCCESS');
    expect(simulator.requests().byRoute['POST /v1/newborns']).toBeGreaterThanOrEqual(5);
    expect(tx.errorCode).toBeNull();
  });

  it('fails the transaction after its retries when the register answers garbage, and a replay completes it', async () => {
    simulator.behave({ mode: 'garbage', kind: 'wrong-shape' });
    const eventId = await birth('outage-garbage');
    const failed = await population(eventId, 'FAILED');
    expect(failed).toMatchObject({ errorCode: 'DELIVERY.RETRIES_EXHAUSTED', attempts: 3 });
    // Three attempts, each a request and its two retries: none was a call held back by the circuit.
    expect(simulator.requests().byRoute['POST /v1/newborns']).toBeGreaterThanOrEqual(3);

    simulator.behave({ mode: 'normal' });
    // Replayed at once: while the circuit is still open the replay is held back, not failed.
    const replay = await http<{ requested: number }>(
      'POST',
      hub('/dead-letters/replay'),
      { eventIds: [eventId] },
      operator,
    );
    expect([replay.status, replay.body.requested]).toEqual([202, 1]);
    await population(eventId, 'SUCCESS');
    const registered = await eventually(
      async () => {
        const r = await http<Tx[]>(
          'GET',
          hub('/transactions?correlationId=outage-garbage'),
          undefined,
          ADMIN,
        );
        return r.body.find((t) => t.eventType === 'population.citizen-registered.v1');
      },
      { what: 'the newborn’s registration, published', timeoutMs: 30_000 },
    );
    expect(registered).toBeDefined();
  });
});
