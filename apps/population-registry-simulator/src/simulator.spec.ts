import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { today } from '@lgsp/contracts';
import { startPopulationSimulator, type PopulationSimulator, type SimulatedCitizen } from '.';

const CONTRACT = join(__dirname, '../../population-adapter/contract/national-population-api.yaml');

const mother: SimulatedCitizen = {
  personalId: '001185000001',
  fullName: 'Nguyễn Thị Lan',
  sex: 'FEMALE',
  dateOfBirth: '1985-04-12',
  permanentAddress: 'Số 12 đường Láng, Hà Nội',
};
const father: SimulatedCitizen = {
  personalId: '001090000007',
  fullName: 'Trần Văn Minh',
  sex: 'MALE',
  dateOfBirth: '1990-11-03',
  permanentAddress: 'Số 5 đường Kim Mã, Hà Nội',
};
const deceased: SimulatedCitizen = {
  personalId: '079150000003',
  fullName: 'Lê Thị Hoa',
  sex: 'FEMALE',
  dateOfBirth: '1950-01-20',
  status: 'DECEASED',
};

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

let sim: PopulationSimulator;
let api: unknown;
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();

/** The response schema of an operation, from the dereferenced contract. */
function schemaFor(path: string, method: string, status: string): ValidateFunction {
  const key = `${method} ${path} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const keys = ['paths', path, method, 'responses', status, 'content', 'application/json'];
    const content = keys.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], api);
    validate = ajv.compile((content as { schema: object }).schema);
    validators.set(key, validate);
  }
  return validate;
}

/** Calls the simulator over HTTP; the body is parsed as JSON when it is JSON. */
async function call(method: string, path: string, body?: unknown, init: RequestInit = {}) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    ...init,
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json');
  return {
    status: res.status,
    headers: res.headers,
    body: json ? (JSON.parse(text) as unknown) : text,
  };
}

/** Calls a contract operation and checks the answer against the contract's schema for it. */
async function faithful(method: 'get' | 'post', path: string, template: string, body?: unknown) {
  const answer: Answer = await call(method.toUpperCase(), path, body);
  const validate = schemaFor(template, method, String(answer.status));
  expect(validate(answer.body) ? [] : validate.errors).toEqual([]);
  return answer.body as { results: Record<string, unknown>[] } & Record<string, unknown>;
}

const post = (path: string, items: unknown[]) => faithful('post', path, path, { items });
const getCitizen = (id: string) =>
  faithful('get', `/v1/citizens/${id}`, '/v1/citizens/{personalId}');
const aNewborn = (extra: Record<string, unknown> = {}) => ({
  requestId: randomUUID(),
  birthRegistrationId: randomUUID(),
  fullName: 'Trần Bảo An',
  sex: 'MALE',
  dateOfBirth: '2024-03-01',
  provinceCode: '001',
  ...extra,
});
const aDeath = (who: SimulatedCitizen, extra: Record<string, unknown> = {}) => ({
  requestId: randomUUID(),
  deathRegistrationId: randomUUID(),
  personalId: who.personalId,
  fullName: who.fullName,
  dateOfBirth: who.dateOfBirth,
  dateOfDeath: '2025-01-15',
  ...extra,
});

beforeAll(async () => {
  api = await SwaggerParser.dereference(CONTRACT);
  sim = await startPopulationSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.seed([mother, father, deceased]);
});

describe('the national population API contract', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    await expect(SwaggerParser.validate(CONTRACT)).resolves.toMatchObject({ openapi: '3.1.0' });
  });
});

describe('the simulator answers as the contract says', () => {
  it('checks identities: MATCH despite case and spacing, MISMATCH naming both fields, NOT_FOUND', async () => {
    const { results } = await post('/v1/identity-checks', [
      { personalId: mother.personalId, fullName: '  NGUYỄN  thị lan ', dateOfBirth: '1985-04-12' },
      { personalId: mother.personalId, fullName: 'Nguyen Thi Lan', dateOfBirth: '1985-04-13' },
      { personalId: '001185999999', fullName: 'Nguyễn Thị Lan', dateOfBirth: '1985-04-12' },
    ]);
    expect(results).toEqual([
      { result: 'MATCH' },
      { result: 'MISMATCH', mismatchedFields: ['fullName', 'dateOfBirth'] },
      { result: 'NOT_FOUND' },
    ]);
  });

  it('registers a newborn once, with the mother’s address, and refuses missing or deceased parents', async () => {
    const birth = aNewborn({ motherId: mother.personalId, fatherId: father.personalId });
    const first = await post('/v1/newborns', [birth]);
    expect(first.results).toEqual([
      {
        status: 'REGISTERED',
        personalId: '001224000001',
        permanentAddress: mother.permanentAddress,
      },
    ]);
    const again = await post('/v1/newborns', [birth, aNewborn({ fatherId: father.personalId })]);
    expect(again.results[0]).toEqual(first.results[0]);
    expect(again.results[1]).toMatchObject({
      personalId: '001224000002',
      permanentAddress: father.permanentAddress,
    });

    const refused = await post('/v1/newborns', [
      aNewborn({ motherId: '001185999999' }),
      aNewborn({ motherId: deceased.personalId }),
    ]);
    expect(refused.results.map((r) => r.code)).toEqual(['PARENT_NOT_FOUND', 'PARENT_DECEASED']);
    const child = await getCitizen('001224000001');
    expect(child).toMatchObject({ fullName: 'Trần Bảo An', status: 'ALIVE', dateOfDeath: null });
  });

  it('records a death once, idempotently, and refuses the wrong ones in the stated order', async () => {
    const death = aDeath(father);
    const recorded = await post('/v1/deaths', [death]);
    expect(recorded.results).toEqual([{ status: 'RECORDED', residenceRemovedOn: today() }]);
    expect((await post('/v1/deaths', [death])).results).toEqual(recorded.results);

    const refused = await post('/v1/deaths', [
      aDeath(father),
      aDeath(mother, { fullName: 'Nguyễn Thị Lam' }),
      aDeath(mother, { dateOfBirth: '1985-04-13' }),
      aDeath({ ...mother, personalId: '001185999999' }),
    ]);
    expect(refused.results.map((r) => r.code)).toEqual([
      'ALREADY_DECEASED',
      'IDENTITY_MISMATCH',
      'IDENTITY_MISMATCH',
      'CITIZEN_NOT_FOUND',
    ]);
    expect(await getCitizen(father.personalId)).toMatchObject({
      status: 'DECEASED',
      dateOfDeath: '2025-01-15',
      permanentAddress: null,
      residenceRemovedOn: today(),
    });
  });

  it('removes the residence on the date of death when that is later than today', async () => {
    const { results } = await post('/v1/deaths', [aDeath(mother, { dateOfDeath: '2999-12-31' })]);
    expect(results).toEqual([{ status: 'RECORDED', residenceRemovedOn: '2999-12-31' }]);
  });

  it('answers a citizen, 404 for an unknown one and 400 for a bad body', async () => {
    expect(await getCitizen(mother.personalId)).toEqual({
      ...mother,
      status: 'ALIVE',
      dateOfDeath: null,
      residenceRemovedOn: null,
    });
    expect(await getCitizen('001185999999')).toMatchObject({ code: 'NOT_FOUND' });
    const bad = await faithful('post', '/v1/newborns', '/v1/newborns', { items: [{}] });
    expect(bad).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await post('/v1/identity-checks', [])).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await post('/v1/newborns', [aNewborn({ provinceCode: '003' })])).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('answers 401 to a request without the bearer token it was given', async () => {
    const guarded = await startPopulationSimulator({ token: 's3cret' });
    try {
      const path = `/v1/citizens/${mother.personalId}`;
      const bare = await fetch(`${guarded.url}${path}`);
      expect(bare.status).toBe(401);
      const body: unknown = await bare.json();
      const validate = schemaFor('/v1/citizens/{personalId}', 'get', '401');
      expect(validate(body) ? [] : validate.errors).toEqual([]);
      const withToken = await fetch(`${guarded.url}${path}`, {
        headers: { authorization: 'Bearer s3cret' },
      });
      expect(withToken.status).toBe(404);
    } finally {
      await guarded.close();
    }
  });
});

describe('the simulator misbehaves on request', () => {
  const citizenPath = `/v1/citizens/${mother.personalId}`;

  it('slow: answers correctly after at least delayMs', async () => {
    sim.behave({ mode: 'slow', delayMs: 300 });
    const started = performance.now();
    const answer = await call('GET', citizenPath);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(answer.body).toMatchObject({ personalId: mother.personalId });
  });

  it('fail: 503 by default, 429 with Retry-After', async () => {
    sim.behave({ mode: 'fail' });
    expect(await call('POST', '/v1/identity-checks', { items: [] })).toMatchObject({
      status: 503,
      body: { code: 'UNAVAILABLE' },
    });
    sim.behave({ mode: 'fail', status: 429 });
    const limited = await call('GET', citizenPath);
    expect(limited).toMatchObject({ status: 429, body: { code: 'TOO_MANY_REQUESTS' } });
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  it('garbage: an HTML page, or JSON of the wrong shape', async () => {
    sim.behave({ mode: 'garbage' });
    const html = await call('GET', citizenPath);
    expect(html).toMatchObject({ status: 200, body: '<html><body>maintenance</body></html>' });
    expect(html.headers.get('content-type')).toBe('text/html');
    sim.behave({ mode: 'garbage', kind: 'wrong-shape' });
    expect((await call('GET', citizenPath)).body).toEqual({ personalId: 42 });
    expect((await call('POST', '/v1/deaths', { items: [aDeath(mother)] })).body).toEqual({
      results: [],
    });
  });

  it('count: misbehaves for that many contract requests, not counting control routes', async () => {
    const control = await call('PUT', '/_simulator/behaviour', { mode: 'fail', count: 2 });
    expect(control.status).toBe(200);
    expect((await call('GET', '/_simulator/requests')).body).toEqual({ total: 0, byRoute: {} });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', citizenPath)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(sim.requests()).toEqual({
      total: 3,
      byRoute: { 'GET /v1/citizens/{personalId}': 3 },
    });
  });

  it('hang: the client gives up, and close() still ends promptly', async () => {
    const hanging = await startPopulationSimulator();
    hanging.behave({ mode: 'hang' });
    const cut = fetch(`${hanging.url}${citizenPath}`, { signal: AbortSignal.timeout(200) });
    await expect(cut).rejects.toThrow(/timeout|aborted/i);
    const stillHanging = fetch(`${hanging.url}${citizenPath}`).catch((e: Error) => e);
    const deadline = Date.now() + 2000;
    while (hanging.requests().total < 2 && Date.now() < deadline) await new Promise(setImmediate);
    const started = performance.now();
    await hanging.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await stillHanging).toMatchObject({ message: 'fetch failed' }); // cut, not answered
  });

  it('is controlled over HTTP too: seed, reset', async () => {
    const seeded = await call('POST', '/_simulator/citizens', [
      { ...mother, personalId: '001185000002' },
    ]);
    expect(seeded).toMatchObject({ status: 201, body: { seeded: 1 } });
    expect((await call('GET', '/v1/citizens/001185000002')).status).toBe(200);
    expect((await call('POST', '/_simulator/reset')).status).toBe(204);
    expect((await call('GET', citizenPath)).status).toBe(404);
    expect(sim.requests().total).toBe(1);
  });
});
