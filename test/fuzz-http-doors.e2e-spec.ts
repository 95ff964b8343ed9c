import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { insuranceService } from '@apps/insurance';
import { landService } from '@apps/land';
import { populationService } from '@apps/population-adapter';
import { VALID_EXAMPLES } from '@lgsp/contracts';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  type Answer,
  answerProblem,
  eventually,
  FuzzTally,
  fuzzParameters,
  fuzzTimeout,
  headerValue,
  hostileBody,
  http,
  issueKey,
  oddString,
  oversizedBody,
  percentEncoded,
  send,
  TEST_ADMIN_KEY,
  TestStack,
} from '@lgsp/testing';
import fc from 'fast-check';

const OWNERSHIP = 'land.ownership-registered.v1';
const ownership = VALID_EXAMPLES[OWNERSHIP] as Record<string, unknown>;
const identity = {
  personalId: '001190012345',
  fullName: 'Trần Thị Lan',
  dateOfBirth: '1990-07-12',
};
const birth = {
  child: { fullName: 'Nguyễn Minh An', sex: 'MALE', dateOfBirth: '2026-11-01' },
  mother: { personalId: '001190012345', fullName: 'Trần Thị Lan' },
};

/** A door: where it is, and a body it accepts, for the fuzzer to break. */
interface Door {
  service: string;
  path: string;
  valid: unknown;
  /** The hub's publishing doors: their refusals are REJECTED transactions. */
  logged?: 'single' | 'batch';
  /** Doors behind a role: the key the fuzzer holds. */
  role?: 'OPERATOR';
}

const DOORS: Door[] = [
  { service: 'hub', path: `/events/${OWNERSHIP}`, valid: ownership, logged: 'single' },
  {
    service: 'hub',
    path: `/events/${OWNERSHIP}/batch`,
    valid: { items: [{ data: ownership, correlationId: 'fz-item' }, { data: ownership }] },
    logged: 'batch',
  },
  { service: 'hub', path: '/dead-letters/replay', valid: { consumer: 'land' }, role: 'OPERATOR' },
  { service: 'civil-status', path: '/births', valid: birth },
  { service: 'civil-status', path: '/births/batch', valid: { items: [birth, birth] } },
  {
    service: 'civil-status',
    path: '/deaths',
    valid: { deceased: { ...identity, sex: 'FEMALE' }, dateOfDeath: '2025-01-01' },
  },
  {
    service: 'land',
    path: '/parcels',
    valid: { parcel: ownership.parcel, owners: ownership.owners },
  },
  { service: 'insurance', path: '/participants', valid: { ...identity, contributionMonths: 24 } },
  {
    service: 'insurance',
    path: '/cards',
    valid: {
      personalId: '001190012345',
      beneficiaryGroup: 'TE',
      benefitLevel: 1,
      validFrom: '2024-01-01',
      validTo: '2026-12-31',
    },
  },
  { service: 'insurance', path: '/cards/link-requests', valid: { limit: 1, batchSize: 1 } },
  {
    service: 'population-adapter',
    path: '/citizens',
    valid: { ...identity, sex: 'FEMALE', permanentAddress: 'Số 12 đường Lê Lợi, Hà Nội' },
  },
];

/**
 * Refusals made before a request reaches a door: its headers or body could not be read
 * (too large, not JSON, an unknown charset or encoding), or its caller is over a rate limit.
 */
const BEFORE_THE_DOOR =
  /^(REQUEST\.(MALFORMED|HEADERS_TOO_LARGE|BODY_TOO_LARGE|TIMEOUT|RATE_LIMITED)|HTTP\.\d+)$/;

type Tx = { status: string; errorCode: string | null; consumer: string };

describe('fuzzing the HTTP doors: hostile bodies and headers never get a 5xx nor an uncoded refusal', () => {
  let stack: TestStack;
  const keys: Record<string, string> = {};
  /** Refusals at the hub's doors that must be REJECTED transactions: correlation id → codes. */
  const mustBeLogged = new Map<string, string[]>();
  /** What was asked, and answered, in each of those cases. */
  const asked = new Map<string, string>();
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).length;

  beforeAll(async () => {
    stack = await TestStack.start(
      [
        hubService,
        civilStatusService,
        landService,
        insuranceService,
        populationService,
      ] as ServiceDefinition[],
      // Refusals are what is under test here, not the throttling of callers who earn many.
      { suffix: '_fuzz_http', env: { HUB_AUTH_FAILURES_PER_MINUTE: '1000000' } },
    );
    const hub = stack.url('hub');
    keys.land = await issueKey(hub, 'SYSTEM', 'land');
    keys.population = await issueKey(hub, 'SYSTEM', 'population');
    keys.operator = await issueKey(hub, 'OPERATOR');
  });

  afterAll(() => stack?.close());

  /** Who knocks: the right key mostly, else none, a wrong one, a garbled one, another system's. */
  const credentials = (door: Door): fc.Arbitrary<Record<string, string>> => {
    const right = door.role === 'OPERATOR' ? keys.operator : keys.land;
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant({ 'x-api-key': right }) },
      { weight: 1, arbitrary: fc.constant({ authorization: `Bearer ${right}` }) },
      { weight: 1, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: headerValue.map((v) => ({ 'x-api-key': v })) },
      { weight: 1, arbitrary: headerValue.map((v) => ({ authorization: v })) },
      { weight: 1, arbitrary: fc.constant({ 'x-api-key': TEST_ADMIN_KEY }) },
      { weight: 1, arbitrary: fc.constant({ 'x-api-key': keys.population }) },
    );
  };

  let serial = 0;
  /** The caller's case: none mostly (the service opens one), a fresh one, or a hostile one. */
  const correlation: fc.Arbitrary<() => Record<string, string>> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(() => ({})) },
    { weight: 1, arbitrary: fc.constant(() => ({ 'x-correlation-id': `fz-case-${++serial}` })) },
    { weight: 1, arbitrary: headerValue.map((v) => () => ({ 'x-correlation-id': v })) },
  );

  /** The hub's door path, now and then with an event type that is not one. */
  const hubPath = (door: Door): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(door.path) },
      {
        weight: 1,
        arbitrary: fc
          .oneof(
            fc.constantFrom(
              'civil-status.birth-registered.v1',
              '%E0%A4%A',
              '%00',
              '..%2F..',
              'x'.repeat(5000),
            ),
            oddString.map((s) => percentEncoded(s.slice(0, 300))),
          )
          .map((type) => door.path.replace(OWNERSHIP, type)),
      },
    );

  /** Notes what the hub must have logged for this answer. */
  function expectLogged(door: Door, a: Answer, what: string): void {
    const body = a.body as {
      code?: string;
      correlationId?: string;
      results?: { status: string; code?: string; correlationId: string }[];
    };
    const note = (id: string, code: string) => {
      mustBeLogged.set(id, [...(mustBeLogged.get(id) ?? []), code]);
      asked.set(id, `${what} → ${a.status} ${a.text.slice(0, 200)}`);
    };
    if (a.status >= 400 && body.code && !BEFORE_THE_DOOR.test(body.code))
      note(body.correlationId!, body.code);
    if (a.status === 200 && door.logged === 'batch')
      for (const r of body.results ?? [])
        if (r.status === 'REFUSED') note(r.correlationId, r.code!);
  }

  it.each(DOORS.map((d) => [`${d.service} POST ${d.path}`, d] as const))(
    '%s',
    async (name, door) => {
      const tally = new FuzzTally(`HTTP ${name}`);
      const params = fuzzParameters(60, { ciTimeMs: 20_000, salt: DOORS.indexOf(door) });
      await fc.assert(
        fc.asyncProperty(
          hostileBody(door.valid),
          credentials(door),
          correlation,
          door.logged ? hubPath(door) : fc.constant(door.path),
          async (req, auth, caseOf, path) => {
            const url = `${stack.url(door.service)}${path}`;
            // Each request's items get a case of their own, so that its refusals can be counted.
            const body =
              req.body &&
              Buffer.from(
                req.body.toString('latin1').replaceAll('fz-item', `fz-item-${++serial}`),
                'latin1',
              );
            const a = await send('POST', url, body, { ...req.headers, ...auth, ...caseOf() });
            tally.add(`${req.label}:${a.status}`);
            const problem = answerProblem(a);
            if (problem) throw new Error(`${req.label} → ${problem}`);
            if (door.logged) expectLogged(door, a, `${req.label} ${path}`);
            const health = await fetch(`${stack.url(door.service)}/health`);
            expect(health.status).toBe(200);
            expect(Object.getOwnPropertyNames(Object.prototype)).toHaveLength(prototypeKeys);
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          },
        ),
        params,
      );
      tally.print(params.seed);
    },
    fuzzTimeout(),
  );

  it.each(DOORS.map((d) => [`${d.service} POST ${d.path}`, d] as const))(
    'refuses a body over the limit at %s with a coded 413',
    async (_, door) => {
      const big = oversizedBody();
      const a = await send('POST', `${stack.url(door.service)}${door.path}`, big.body, {
        ...big.headers,
        'x-api-key': keys.land,
      });
      expect([a.status, answerProblem(a)]).toEqual([413, undefined]);
    },
  );

  it('answers 401 to a stranger at the batch door before it looks at the batch, and logs it', async () => {
    const a = await send(
      'POST',
      `${stack.url('hub')}/events/${OWNERSHIP}/batch`,
      Buffer.from('{"items":"x"}'),
      {
        'content-type': 'application/json',
        'x-correlation-id': 'fz-stranger',
      },
    );
    expect([a.status, (a.body as { code: string }).code]).toEqual([401, 'HUB.UNAUTHENTICATED']);
    mustBeLogged.set('fz-stranger', ['HUB.UNAUTHENTICATED']);
  });

  it('logged every refusal at the hub door as one REJECTED transaction with its code', async () => {
    expect(mustBeLogged.size).toBeGreaterThan(0);
    for (const [id, codes] of mustBeLogged) {
      const logged = await eventually(
        async () => {
          const r = await http<Tx[]>(
            'GET',
            `${stack.url('hub')}/transactions?status=REJECTED&consumer=hub&limit=1000&correlationId=${encodeURIComponent(id)}`,
            undefined,
            { 'x-api-key': TEST_ADMIN_KEY },
          );
          return r.body.length >= codes.length ? r.body : undefined;
        },
        { what: `REJECTED transactions of case ${id} (${asked.get(id)})`, timeoutMs: 30_000 },
      );
      expect(logged.map((t) => t.errorCode).sort()).toEqual([...codes].sort());
    }
    process.stdout.write(
      `fuzz HTTP hub doors: ${mustBeLogged.size} refused cases found in the log\n`,
    );
  });
});
