import { hubService } from '@apps/hub';
import { VALID_EXAMPLES } from '@lgsp/contracts';
import { eventually, http, TEST_ADMIN_KEY, TestStack } from '@lgsp/testing';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };

type Tx = {
  eventId: string;
  consumer: string;
  status: string;
  errorCode: string | null;
  reason: string | null;
};

describe('hub: catalogue, credentials and the HTTP door', () => {
  let stack: TestStack;
  let landKey: string;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const admin = { 'x-api-key': TEST_ADMIN_KEY };
  const ownership = VALID_EXAMPLES['land.ownership-registered.v1'];
  const publish = (type: string, body: unknown, headers: Record<string, string>) =>
    http<{ eventId: string; code: string; correlationId: string; errors?: { field: string }[] }>(
      'POST',
      hub(`/events/${type}`),
      body,
      headers,
    );

  beforeAll(async () => {
    stack = await TestStack.start([hubService], { suffix: '_door' });
    const issued = await http<{ apiKey: string }>(
      'POST',
      hub('/credentials'),
      { role: 'SYSTEM', system: 'land' },
      admin,
    );
    expect(issued.status).toBe(201);
    landKey = issued.body.apiKey;
  });

  afterAll(() => stack.close());

  it('serves the catalogue of every flow', async () => {
    const systems = await http<{ code: string }[]>('GET', hub('/catalogue/systems'));
    expect(systems.body.map((s) => s.code)).toEqual([
      'civil-status',
      'hub',
      'insurance',
      'land',
      'population',
    ]);
    const services = await http<{ code: string; eventType: string; provider: string }[]>(
      'GET',
      hub('/catalogue/services'),
    );
    expect(services.body).toHaveLength(11);
    expect(services.body).toContainEqual(
      expect.objectContaining({
        code: 'birth-registration',
        eventType: 'civil-status.birth-registered.v1',
        provider: 'civil-status',
      }),
    );
    const subscriptions = await http<{ consumer: string; service: string }[]>(
      'GET',
      hub('/catalogue/subscriptions'),
    );
    expect(subscriptions.body).toContainEqual(
      expect.objectContaining({ consumer: 'insurance', service: 'citizen-death' }),
    );
  });

  it('serves every event type with a JSON Schema that accepts its example', async () => {
    const types = await http<{ type: string; topic: string; schema: string }[]>(
      'GET',
      hub('/catalogue/event-types'),
    );
    expect(types.body).toHaveLength(14);
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    for (const t of types.body) {
      const res = await http<{ examples: unknown[] } & Record<string, unknown>>(
        'GET',
        hub(t.schema),
      );
      const { examples, ...schema } = res.body;
      expect(ajv.validate(schema, examples[0])).toBe(true);
    }
    const unknown = await http<{ code: string }>(
      'GET',
      hub('/catalogue/event-types/x.y.v1/schema'),
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, 'CONTRACT.UNKNOWN_EVENT_TYPE']);
  });

  it('keeps administration behind the administrator key', async () => {
    const body = { role: 'SYSTEM', system: 'land' };
    expect((await http<{ code: string }>('POST', hub('/credentials'), body)).body.code).toBe(
      'HUB.UNAUTHENTICATED',
    );
    const wrong = await http<{ code: string }>('POST', hub('/credentials'), body, {
      'x-api-key': 'not-a-key',
    });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'HUB.INVALID_CREDENTIAL']);
    const system = await http<{ code: string }>('POST', hub('/credentials'), body, {
      'x-api-key': landKey,
    });
    expect([system.status, system.body.code]).toEqual([403, 'HUB.FORBIDDEN']);
  });

  it('accepts a granted, valid event and opens one transaction per subscriber', async () => {
    const res = await publish('land.ownership-registered.v1', ownership, { 'x-api-key': landKey });
    expect(res.status).toBe(202);
    const txs = await eventually(
      async () => {
        const r = await http<Tx[]>(
          'GET',
          hub(`/transactions/${res.body.eventId}`),
          undefined,
          ADMIN,
        );
        return r.status === 200 ? r.body : undefined;
      },
      { what: 'the transactions of the published event' },
    );
    expect(txs).toEqual([
      expect.objectContaining({
        consumer: 'population',
        status: 'PENDING',
        provider: 'land',
        serviceCode: 'ownership-registration',
      }),
    ]);
  });

  const refusals: [string, string, () => Record<string, string>, string, unknown, number][] = [
    [
      'no credential',
      'HUB.UNAUTHENTICATED',
      () => ({}),
      'land.ownership-registered.v1',
      ownership,
      401,
    ],
    [
      'an unknown credential',
      'HUB.INVALID_CREDENTIAL',
      () => ({ 'x-api-key': 'lgsp_land_forged' }),
      'land.ownership-registered.v1',
      ownership,
      401,
    ],
    [
      'a type not granted',
      'HUB.TYPE_NOT_GRANTED',
      () => ({ 'x-api-key': landKey }),
      'civil-status.birth-registered.v1',
      VALID_EXAMPLES['civil-status.birth-registered.v1'],
      403,
    ],
    [
      'an invalid payload',
      'CONTRACT.INVALID_PAYLOAD',
      () => ({ 'x-api-key': landKey }),
      'land.ownership-registered.v1',
      { ...ownership, owners: [] },
      400,
    ],
    [
      'an unknown type',
      'CONTRACT.UNKNOWN_EVENT_TYPE',
      () => ({ 'x-api-key': landKey }),
      'land.parcel-merged.v1',
      {},
      404,
    ],
  ];

  it.each(refusals)(
    'refuses %s with %s and logs a REJECTED transaction',
    async (what, code, headers, type, body, status) => {
      const correlationId = `door-${code.toLowerCase().replace(/\W/g, '-')}`;
      const res = await publish(type, body, {
        ...headers(),
        'x-correlation-id': correlationId,
      });
      expect([res.status, res.body.code, res.body.correlationId]).toEqual([
        status,
        code,
        correlationId,
      ]);
      if (code === 'CONTRACT.INVALID_PAYLOAD')
        expect(res.body.errors?.map((e) => e.field)).toEqual(['owners']);
      const [tx] = await eventually(
        async () => {
          const r = await http<Tx[]>(
            'GET',
            hub(`/transactions?correlationId=${correlationId}`),
            undefined,
            ADMIN,
          );
          return r.body.length ? r.body : undefined;
        },
        { what: `the REJECTED transaction for ${what}` },
      );
      expect(tx).toMatchObject({ consumer: 'hub', status: 'REJECTED', errorCode: code });
      expect(tx.reason).toBeTruthy();
    },
  );

  it('counts rejections beside the success rate of the service', async () => {
    const rate = await http<{
      counts: { REJECTED: number };
      successRate: number | null;
      overallRate: number | null;
    }>('GET', hub('/services/ownership-registration/success-rate'), undefined, ADMIN);
    expect(rate.body.counts.REJECTED).toBeGreaterThanOrEqual(1);
    expect(rate.body.overallRate).toBe(0);
  });

  it('applies a disabled system at once, and enables it again', async () => {
    const patch = (status: string) =>
      http('PATCH', hub('/catalogue/systems/land'), { status }, admin);
    expect((await patch('DISABLED')).status).toBe(200);
    const refused = await publish('land.ownership-registered.v1', ownership, {
      'x-api-key': landKey,
    });
    expect([refused.status, refused.body.code]).toEqual([403, 'HUB.SYSTEM_DISABLED']);
    await patch('ACTIVE');
    expect(
      (await publish('land.ownership-registered.v1', ownership, { 'x-api-key': landKey })).status,
    ).toBe(202);
  });

  it('opens no delivery for a disabled subscription: the event is logged with zero deliveries', async () => {
    const put = (status: string) =>
      http(
        'PUT',
        hub('/catalogue/subscriptions/population/ownership-registration'),
        { purpose: 'Xác thực chủ sử dụng đất', status },
        admin,
      );
    expect((await put('DISABLED')).status).toBe(200);
    try {
      const res = await publish('land.ownership-registered.v1', ownership, {
        'x-api-key': landKey,
      });
      const entries = await eventually(
        async () => {
          const r = await http<{ kind: string }[]>(
            'GET',
            hub(`/log?eventId=${res.body.eventId}`),
            undefined,
            admin,
          );
          return r.body.length ? r.body : undefined;
        },
        { what: 'the log entry of the published event' },
      );
      expect(entries.map((e) => e.kind)).toEqual(['PUBLISHED']);
      expect(
        (await http('GET', hub(`/transactions/${res.body.eventId}`), undefined, ADMIN)).status,
      ).toBe(404);
    } finally {
      await put('ACTIVE');
    }
  });
});
