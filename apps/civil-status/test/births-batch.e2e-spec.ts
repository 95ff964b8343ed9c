import { civilStatusService } from '@apps/civil-status';
import { aBirthRegistration, header, http, query, readTopic, Rng, TestStack } from '@lgsp/testing';

type Item = {
  index: number;
  status: 'CREATED' | 'EXISTING' | 'REFUSED';
  registrationId?: string;
  eventId?: string;
  correlationId?: string;
  childPersonalId?: string | null;
  code?: string;
  message?: string;
  errors?: { field: string; messages: string[] }[];
};
type Answer = { created: number; existing: number; refused: number; results: Item[] };
type Refusal = { code: string; errors?: { field: string; messages: string[] }[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('civil-status: births in batches, on the real broker and database', () => {
  let stack: TestStack;
  const rng = new Rng(4242);
  const url = (path: string) => `${stack.url('civil-status')}${path}`;
  const batch = (items: unknown, headers: Record<string, string> = {}) =>
    http<Answer & Refusal>('POST', url('/births/batch'), { items }, headers);
  const birthCount = async () =>
    Number(
      (
        await query<{ n: string }>(
          stack.databaseUrl('civil-status'),
          'SELECT count(*) AS n FROM births',
        )
      )[0].n,
    );

  beforeAll(async () => {
    stack = await TestStack.start([civilStatusService], { suffix: '_births_batch' });
  });

  afterAll(() => stack.close());

  it('answers each item on its own and announces exactly the births it created', async () => {
    const known = aBirthRegistration(rng);
    const single = await http<{ registrationId: string; eventId: string; correlationId: string }>(
      'POST',
      url('/births'),
      known,
    );
    expect(single.status).toBe(201);
    const [a, b] = [aBirthRegistration(rng), aBirthRegistration(rng)];
    const invalid = { ...aBirthRegistration(rng), child: { ...a.child, sex: 'X' } };
    // The same birth as `a`, spaced and cased otherwise: the same natural key.
    const aAgain = {
      ...a,
      child: { ...a.child, fullName: a.child.fullName.toUpperCase().replace(' ', '  ') },
    };

    const res = await batch([a, invalid, b, aAgain, known], { 'x-correlation-id': 'batch-req-1' });

    expect(res.status).toBe(200);
    expect([res.body.created, res.body.existing, res.body.refused]).toEqual([2, 2, 1]);
    const r = res.body.results;
    expect(r.map((i) => [i.index, i.status])).toEqual([
      [0, 'CREATED'],
      [1, 'REFUSED'],
      [2, 'CREATED'],
      [3, 'EXISTING'],
      [4, 'EXISTING'],
    ]);
    // The refusal is the one POST /births gives the same body.
    const alone = await http<Refusal>('POST', url('/births'), invalid);
    expect(alone.status).toBe(400);
    expect(r[1]).toEqual({
      index: 1,
      status: 'REFUSED',
      code: 'REQUEST.VALIDATION_FAILED',
      message: expect.any(String) as string,
      errors: alone.body.errors,
    });
    expect(r[1].errors?.map((e) => e.field)).toEqual(['child.sex']);
    // A repeat answers with the first registration, in the batch or before it.
    expect(r[3]).toMatchObject({
      registrationId: r[0].registrationId,
      eventId: r[0].eventId,
      correlationId: r[0].correlationId,
    });
    expect(r[4]).toEqual({ index: 4, status: 'EXISTING', ...single.body, childPersonalId: null });
    // Each new birth is its own case; the request's correlation id names only the request.
    expect(res.headers.get('x-correlation-id')).toBe('batch-req-1');
    for (const i of [r[0], r[2]]) expect(i.correlationId).toMatch(UUID);
    expect(r[0].correlationId).not.toBe(r[2].correlationId);
    expect(await birthCount()).toBe(3);

    const created = [r[0], r[2]];
    const topic = `${stack.topicPrefix()}lgsp.civil-status.birth-registered.v1`;
    const read = await readTopic(topic, (ms) =>
      created.every((i) => ms.some((m) => header(m, 'ce_id') === i.eventId)),
    );
    expect(read.map((m) => header(m, 'ce_id')).sort()).toEqual(
      [single.body.eventId, ...created.map((i) => i.eventId)].sort(),
    );
    for (const i of created) {
      const m = read.find((x) => header(x, 'ce_id') === i.eventId)!;
      expect(header(m, 'ce_correlationid')).toBe(i.correlationId);
      expect(JSON.parse(m.value!.toString())).toMatchObject({ registrationId: i.registrationId });
    }
  });

  it('refuses a batch over 1000 items, an empty one and a body without a list, as a whole', async () => {
    const before = await birthCount();
    const over = await batch(Array.from({ length: 1001 }, () => aBirthRegistration(rng)));
    expect([over.status, over.body.code, over.body.errors?.map((e) => e.field)]).toEqual([
      400,
      'REQUEST.VALIDATION_FAILED',
      ['items'],
    ]);
    expect((await batch([])).body.code).toBe('REQUEST.VALIDATION_FAILED');
    expect((await batch(aBirthRegistration(rng))).status).toBe(400);
    expect(await birthCount()).toBe(before);
  });

  it('takes 1000 births in one body; two batches sharing births at once register each birth once', async () => {
    const items = Array.from({ length: 1000 }, () => aBirthRegistration(rng));
    // The same births in the opposite order: the two inserts meet in both directions.
    const [one, two] = await Promise.all([batch(items), batch([...items].reverse())]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.body.created + two.body.created).toBe(1000);
    expect(one.body.existing + two.body.existing).toBe(1000);
    expect(one.body.results.map((i) => i.registrationId)).toEqual(
      two.body.results.map((i) => i.registrationId).reverse(),
    );
    const again = await batch(items);
    expect([again.body.created, again.body.existing]).toEqual([0, 1000]);
  });

  it('documents the batch endpoint in its OpenAPI document', async () => {
    const doc = await http<{
      paths: Record<
        string,
        { post?: { requestBody?: unknown; responses: Record<string, unknown> } }
      >;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    }>('GET', url('/docs-json'));
    const post = doc.body.paths['/births/batch'].post!;
    expect(JSON.stringify(post.requestBody)).toContain('RegisterBirthsBatchDto');
    expect(post.responses['200']).toBeDefined();
    expect(doc.body.components.schemas.RegisterBirthsBatchDto.properties.items).toMatchObject({
      type: 'array',
      maxItems: 1000,
      items: { $ref: '#/components/schemas/RegisterBirthDto' },
    });
  });
});
