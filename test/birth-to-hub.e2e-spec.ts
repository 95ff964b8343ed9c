import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { populationService } from '@apps/population-adapter';
import { parsePersonalId } from '@lgsp/contracts';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  aBirthOfRegisteredParents,
  addToRegister,
  eventually,
  header,
  http,
  query,
  readTopic,
  Rng,
  TestStack,
} from '@lgsp/testing';
import { TEST_ADMIN_KEY } from '@lgsp/testing';

const services = [civilStatusService, populationService, hubService] as ServiceDefinition[];

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };

describe('birth → population → hub, on the real broker and database', () => {
  let stack: TestStack;
  const url = (name: string) => stack.url(name);
  const dbUrl = (name: string) => stack.databaseUrl(name);

  beforeAll(async () => {
    stack = await TestStack.start(services, { suffix: '_birth' });
  });

  afterAll(() => stack.close());

  it('reports every service healthy, with Kafka and the database checked', async () => {
    for (const name of services.map((s) => s.name)) {
      const res = await http<{ status: string; checks: Record<string, string> }>(
        'GET',
        `${url(name)}/health`,
      );
      expect(res.status).toBe(200);
      expect(res.body.checks).toEqual({ database: 'up', kafka: 'up' });
    }
  });

  it('carries a registered birth to a SUCCESS transaction in the hub', async () => {
    const { birth, parents } = aBirthOfRegisteredParents(new Rng(2026));
    await addToRegister(dbUrl('population-adapter'), parents);
    const correlationId = 'case-birth-e2e-1';
    const posted = await http<{ registrationId: string; eventId: string; correlationId: string }>(
      'POST',
      `${url('civil-status')}/births`,
      birth,
      { 'x-correlation-id': correlationId },
    );
    expect(posted.status).toBe(201);
    expect(posted.body.correlationId).toBe(correlationId);
    const { registrationId, eventId } = posted.body;

    // The event on Kafka: CloudEvents binary mode, keyed by a pseudonymous subject key.
    const read = await readTopic(
      `${stack.topicPrefix()}lgsp.civil-status.birth-registered.v1`,
      (ms) => ms.some((m) => header(m, 'ce_id') === eventId),
    );
    const message = read.find((m) => header(m, 'ce_id') === eventId)!;
    expect(header(message, 'ce_specversion')).toBe('1.0');
    expect(header(message, 'ce_type')).toBe('vn.lgsp.civil-status.birth-registered.v1');
    expect(header(message, 'ce_source')).toBe('/lgsp/01/civil-status');
    expect(header(message, 'ce_correlationid')).toBe(correlationId);
    expect(header(message, 'content-type')).toBe('application/json');
    expect(Number.isNaN(Date.parse(header(message, 'ce_time') ?? ''))).toBe(false);
    expect(message.key?.toString()).toMatch(/^[0-9a-f]{64}$/);
    const data: unknown = JSON.parse(message.value!.toString());
    expect(data).toMatchObject({
      registrationId,
      registrationProvinceCode: '01',
      child: birth.child,
    });

    // The population registry assigned a personal ID whose digits agree with the birth.
    const [citizen] = await eventually(
      async () => {
        const rows = await query<{ personal_id: string }>(
          dbUrl('population-adapter'),
          'SELECT personal_id FROM citizens WHERE birth_registration_id = $1',
          [registrationId],
        );
        return rows.length ? rows : undefined;
      },
      { what: 'the newborn in the population database' },
    );
    const parts = parsePersonalId(citizen.personal_id);
    expect(parts).toMatchObject({
      provinceCode: '01',
      sex: birth.child.sex,
      yearOfBirth: Number(birth.child.dateOfBirth.slice(0, 4)),
    });

    // The hub logged the transaction as SUCCESS, with timings.
    const tx = await eventually(
      async () => {
        const res = await http<{ consumer: string; status: string; latencyMs: number | null }[]>(
          'GET',
          `${url('hub')}/transactions/${eventId}`,
          undefined,
          ADMIN,
        );
        return res.status === 200 &&
          res.body[0]?.status === 'SUCCESS' &&
          res.body[0].latencyMs !== null
          ? res.body
          : undefined;
      },
      { what: 'a SUCCESS transaction in the hub' },
    );
    expect(tx).toEqual([
      expect.objectContaining({
        consumer: 'population',
        serviceCode: 'birth-registration',
        provider: 'civil-status',
        // Not a UUID: the hub keeps the id it derives from it, and finds the case by either.
        correlationId: expect.stringMatching(
          /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/,
        ) as string,
      }),
    ]);
    expect(tx[0].latencyMs).toBeGreaterThanOrEqual(0);
    const byCase = await http<{ eventId: string }[]>(
      'GET',
      `${url('hub')}/transactions?correlationId=${correlationId}`,
      undefined,
      ADMIN,
    );
    expect(byCase.body.map((t) => t.eventId)).toContain(eventId);

    // The chain closes: civil status attached the personal ID to the birth record.
    await eventually(
      async () => {
        const res = await http<{ childPersonalId: string | null }>(
          'GET',
          `${url('civil-status')}/births/${registrationId}`,
        );
        return res.body.childPersonalId === citizen.personal_id ? true : undefined;
      },
      { what: 'the personal ID on the birth record' },
    );

    const rate = await http<{ successRate: number; counts: { SUCCESS: number } }>(
      'GET',
      `${url('hub')}/services/birth-registration/success-rate`,
      undefined,
      ADMIN,
    );
    expect(rate.body.successRate).toBe(1);
    expect(rate.body.counts.SUCCESS).toBeGreaterThanOrEqual(1);

    // No raw ID number anywhere in the hub database.
    for (const id of [citizen.personal_id, birth.mother.personalId, birth.father.personalId]) {
      for (const table of ['log_entries', 'transactions']) {
        const [{ n }] = await query<{ n: string }>(
          dbUrl('hub'),
          `SELECT count(*) AS n FROM ${table} t WHERE row_to_json(t)::text LIKE $1`,
          [`%${id}%`],
        );
        expect(Number(n)).toBe(0);
      }
    }
  });

  it('refuses an invalid registration with field errors, a stable code and a correlation id', async () => {
    const res = await http<{ code: string; correlationId: string; errors: { field: string }[] }>(
      'POST',
      `${url('civil-status')}/births`,
      {
        child: { fullName: 'A', sex: 'X', dateOfBirth: '2999-01-01' },
        mother: { personalId: '123', fullName: 'Lê Thị Hoa' },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(res.body.correlationId).toBeTruthy();
    expect(res.body.errors.map((e) => e.field).sort()).toEqual([
      'child.dateOfBirth',
      'child.fullName',
      'child.sex',
      'mother.personalId',
    ]);
  });

  it('exposes Prometheus metrics: outbox, consumers, transactions and latency', async () => {
    const scrape = async (name: string) => (await fetch(`${url(name)}/metrics`)).text();
    const civil = await scrape('civil-status');
    expect(civil).toContain('lgsp_outbox_published_total');
    expect(civil).toContain('service="civil-status"');
    const population = await scrape('population-adapter');
    expect(population).toMatch(/lgsp_consumer_lag\{[^}]*topic="[^"]*birth-registered[^"]*"/);
    expect(population).toMatch(/lgsp_messages_consumed_total\{[^}]*outcome="SUCCESS"/);
    const hub = await scrape('hub');
    expect(hub).toMatch(/lgsp_log_entries_total\{[^}]*kind="RECEIPT"[^}]*status="SUCCESS"/);
    expect(hub).toMatch(
      /lgsp_transaction_latency_seconds_bucket\{[^}]*service="birth-registration"/,
    );
  });
});
