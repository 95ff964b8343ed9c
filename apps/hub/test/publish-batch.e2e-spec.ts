import { hubService } from '@apps/hub';
import { VALID_EXAMPLES } from '@lgsp/contracts';
import { eventually, http, issueKey, TEST_ADMIN_KEY, TestStack } from '@lgsp/testing';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };
const TYPE = 'land.ownership-registered.v1';

type FieldErrors = { field: string; messages: string[] }[];
type Result = {
  index: number;
  status: 'ACCEPTED' | 'REFUSED';
  eventId?: string;
  correlationId: string;
  topic?: string;
  code?: string;
  message?: string;
  errors?: FieldErrors;
};
type Answer = { accepted: number; refused: number; results: Result[] };
type Refusal = { code: string; errors?: FieldErrors; correlationId: string };
type Tx = { eventId: string; consumer: string; status: string; errorCode: string | null };

describe('hub: the batch door', () => {
  let stack: TestStack;
  let landKey: string;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const ownership = VALID_EXAMPLES[TYPE];
  const invalid = { ...ownership, owners: [] };
  const batch = (type: string, items: unknown, headers: Record<string, string>) =>
    http<Answer & Refusal>('POST', hub(`/events/${type}/batch`), { items }, headers);
  const transactions = (query: string) =>
    eventually(
      async () => {
        const r = await http<Tx[]>('GET', hub(`/transactions${query}`), undefined, ADMIN);
        return r.status === 200 && r.body.length ? r.body : undefined;
      },
      { what: `transactions ${query}` },
    );

  beforeAll(async () => {
    stack = await TestStack.start([hubService], { suffix: '_door_batch' });
    landKey = await issueKey(stack.url('hub'), 'SYSTEM', 'land');
  });

  afterAll(() => stack.close());

  it('accepts the valid items and refuses the invalid one, which is logged as REJECTED', async () => {
    const res = await batch(
      TYPE,
      [
        { data: ownership, correlationId: 'hub-batch-a' },
        { data: invalid, correlationId: 'hub-batch-bad' },
        { data: ownership },
      ],
      { 'x-api-key': landKey },
    );

    expect(res.status).toBe(200);
    expect([res.body.accepted, res.body.refused]).toEqual([2, 1]);
    const [a, bad, c] = res.body.results;
    const topic = 'lgsp.land.ownership-registered.v1';
    expect(a).toMatchObject({ index: 0, status: 'ACCEPTED', correlationId: 'hub-batch-a', topic });
    expect(c).toMatchObject({ index: 2, status: 'ACCEPTED', topic });
    expect(c.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    // The refusal is the one the single door gives the same payload.
    const alone = await http<Refusal>('POST', hub(`/events/${TYPE}`), invalid, {
      'x-api-key': landKey,
    });
    expect(alone.status).toBe(400);
    expect(bad).toEqual({
      index: 1,
      status: 'REFUSED',
      code: 'CONTRACT.INVALID_PAYLOAD',
      message: expect.any(String) as string,
      errors: alone.body.errors,
      correlationId: 'hub-batch-bad',
    });
    expect(bad.errors?.map((e) => e.field)).toEqual(['owners']);

    const [rejected] = await transactions('?correlationId=hub-batch-bad');
    expect(rejected).toMatchObject({
      consumer: 'hub',
      status: 'REJECTED',
      errorCode: 'CONTRACT.INVALID_PAYLOAD',
    });
    for (const accepted of [a, c]) {
      expect(await transactions(`/${accepted.eventId}`)).toEqual([
        expect.objectContaining({ consumer: 'population', status: 'PENDING', provider: 'land' }),
      ]);
    }
  });

  it('checks the caller once, for the whole batch, and logs the refusal', async () => {
    const items = [{ data: ownership }];
    const anonymous = await batch(TYPE, items, { 'x-correlation-id': 'hub-batch-anonymous' });
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'HUB.UNAUTHENTICATED']);
    const [tx] = await transactions('?correlationId=hub-batch-anonymous');
    expect(tx).toMatchObject({ status: 'REJECTED', errorCode: 'HUB.UNAUTHENTICATED' });
    const notGranted = await batch('civil-status.birth-registered.v1', items, {
      'x-api-key': landKey,
    });
    expect([notGranted.status, notGranted.body.code]).toEqual([403, 'HUB.TYPE_NOT_GRANTED']);
  });

  it('refuses an over-limit batch and a malformed item wrapper as a whole', async () => {
    const key = { 'x-api-key': landKey };
    const over = await batch(
      TYPE,
      Array.from({ length: 1001 }, () => ({ data: ownership })),
      key,
    );
    expect([over.status, over.body.code, over.body.errors?.map((e) => e.field)]).toEqual([
      400,
      'REQUEST.VALIDATION_FAILED',
      ['items'],
    ]);
    const malformed = await batch(
      TYPE,
      [{ data: 'x' }, { data: ownership, correlationId: 'a b' }],
      key,
    );
    expect(malformed.body.errors?.map((e) => e.field)).toEqual([
      'items.0.data',
      'items.1.correlationId',
    ]);
  });

  it('takes 1000 events in one body', async () => {
    const items = Array.from({ length: 1000 }, () => ({ data: ownership }));
    const res = await batch(TYPE, items, { 'x-api-key': landKey });
    expect([res.status, res.body.accepted]).toEqual([200, 1000]);
    expect(new Set(res.body.results.map((r) => r.eventId)).size).toBe(1000);
  });

  it('documents the batch door in its OpenAPI document', async () => {
    const doc = await http<{
      paths: Record<
        string,
        { post?: { requestBody?: unknown; responses: Record<string, unknown> } }
      >;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    }>('GET', hub('/docs-json'));
    const post = doc.body.paths['/events/{type}/batch'].post!;
    expect(JSON.stringify(post.requestBody)).toContain('PublishBatchDto');
    expect(post.responses['200']).toBeDefined();
    expect(doc.body.components.schemas.PublishBatchDto.properties.items).toMatchObject({
      type: 'array',
      // Each item is an object and a BatchEventDto: the reference stands alone in an allOf,
      // as OpenAPI 3.0 wants it beside other keywords.
      items: { type: 'object', allOf: [{ $ref: '#/components/schemas/BatchEventDto' }] },
    });
  });
});
