import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { insuranceService } from '@apps/insurance';
import { landService } from '@apps/land';
import { populationService } from '@apps/population-adapter';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  answerProblem,
  FuzzTally,
  fuzzParameters,
  fuzzTimeout,
  oddString,
  percentEncoded,
  send,
  TEST_ADMIN_KEY,
  TestStack,
} from '@lgsp/testing';
import fc from 'fast-check';

/** The read doors: a path (`{x}` is a parameter) and the query parameters each one reads. */
const READS: [service: string, path: string, params: string[]][] = [
  ['hub', '/transactions/{x}', []],
  ['hub', '/transactions', ['service', 'status', 'consumer', 'correlationId', 'limit']],
  ['hub', '/services/{x}/success-rate', ['from', 'to']],
  ['hub', '/success-rate', ['from', 'to']],
  ['hub', '/stats', ['from', 'to', 'groupBy', 'step']],
  ['hub', '/catalogue/event-types/{x}/schema', []],
  ['hub', '/log', ['eventId', 'correlationId', 'limit']],
  ['hub', '/dead-letters', ['consumer', 'service', 'errorCode']],
  ['hub', '/cases/{x}', []],
  ['hub', '/cases', ['status']],
  [
    'hub',
    '/audit/log',
    [
      'from',
      'to',
      'service',
      'provider',
      'consumer',
      'status',
      'citizenId',
      'correlationId',
      'after',
      'limit',
    ],
  ],
  ['hub', '/audit/export', ['format', 'from', 'to']],
  ['civil-status', '/births/{x}', []],
  ['civil-status', '/births', ['motherPersonalId', 'childPersonalId', 'limit', 'offset']],
  ['civil-status', '/deaths/{x}', []],
  ['civil-status', '/deaths', ['limit', 'offset']],
  ['land', '/parcels/{x}', []],
  ['land', '/parcels', ['inheritanceFlagged', 'limit', 'offset']],
  ['land', '/owners', ['verificationStatus', 'limit', 'offset']],
  ['insurance', '/participants/{x}', []],
  ['insurance', '/cards/{x}', []],
  ['insurance', '/cards', ['personalId', 'status', 'linkStatus', 'limit', 'offset']],
  ['insurance', '/funeral-allowances/{x}', []],
  ['population-adapter', '/citizens/{x}', []],
  ['population-adapter', '/citizens', ['status', 'limit', 'offset']],
];

/** Values a query or path parameter meets: numbers past every range, impossible dates, odd text. */
const oddParameter: fc.Arbitrary<string> = fc.oneof(
  fc
    .constantFrom(
      '1e20',
      '-1',
      '0',
      '1.5',
      'NaN',
      '99999999999999999999',
      '0x10',
      '',
      '0000-01-01',
      '9999-12-31T23:59:59Z',
      '2026-02-30',
      '+275760-09-13T00:00:00.000Z',
      'now',
      '079190001234',
      '01a2020a-face-73da-bee1-3dadfc3c5eea',
      'SUCCESS',
      'sector',
      'minute',
      'csv',
      'ndjson',
      'true',
    )
    .map(encodeURIComponent),
  oddString.map((s) => percentEncoded(s.slice(0, 500))),
  fc.constantFrom('%00', '%E0%A4%A', '%', '%ZZ', 'a%2Fb', '..%2F..'),
);

const read = fc.constantFrom(...READS).chain(([service, path, params]) =>
  fc.record({
    service: fc.constant(service),
    path: path.includes('{x}')
      ? oddParameter.map((x) => path.replace('{x}', x || '%20'))
      : fc.constant(path),
    query: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...params, 'limit'), fc.constant('x[y][z]'), oddParameter),
        oddParameter,
      ),
      { maxLength: 4 },
    ),
  }),
);

describe('fuzzing the read doors: hostile paths and queries never get a 5xx nor an uncoded refusal', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start(
      [
        hubService,
        civilStatusService,
        landService,
        insuranceService,
        populationService,
      ] as ServiceDefinition[],
      { suffix: '_fuzz_reads' },
    );
  });

  afterAll(() => stack?.close());

  it(
    'answers every read with data or a coded refusal, and stays up',
    async () => {
      const tally = new FuzzTally('HTTP reads');
      const params = fuzzParameters(250, { ciTimeMs: 30_000 });
      await fc.assert(
        fc.asyncProperty(read, async ({ service, path, query }) => {
          const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
          const url = `${stack.url(service)}${path}${qs ? `?${qs}` : ''}`;
          const a = await send('GET', url, undefined, { 'x-api-key': TEST_ADMIN_KEY });
          tally.add(a.status);
          const problem = answerProblem(a);
          if (problem) throw new Error(`GET ${url.slice(0, 300)} → ${problem}`);
          expect((await fetch(`${stack.url(service)}/health`)).status).toBe(200);
        }),
        params,
      );
      tally.print(params.seed);
    },
    fuzzTimeout(),
  );
});
