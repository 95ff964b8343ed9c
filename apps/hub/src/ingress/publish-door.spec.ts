import { VALID_EXAMPLES } from '@lgsp/contracts';
import { PublishBatchDto } from './publish-batch.dto';
import { batchOf, Refusal } from './publish-door';

const ownership = VALID_EXAMPLES['land.ownership-registered.v1'];

describe('batchOf: the batch wrapper, checked once the caller is known', () => {
  it('gives the batch when its list and wrappers are well-formed', () => {
    const batch = batchOf({ items: [{ data: ownership, correlationId: 'case-1' }] });
    expect(batch).toBeInstanceOf(PublishBatchDto);
    expect((batch as PublishBatchDto).items[0]).toMatchObject({ correlationId: 'case-1' });
  });

  it.each([
    ['not an object', [{ data: ownership }], '$'],
    ['null', null, '$'],
    ['without items', {}, 'items'],
    ['with an item that is not a wrapper', { items: ['x'] }, 'items.0'],
    ['with a data that is not an object', { items: [{ data: 'x' }] }, 'items.0.data'],
    ['with a field no batch has', { items: [{ data: ownership }], extra: 1 }, 'extra'],
  ])('refuses a body %s as a whole, naming the field', (_, body, field) => {
    const refusal = batchOf(body);
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal).toMatchObject({ status: 400, code: 'REQUEST.VALIDATION_FAILED' });
    expect((refusal as Refusal).details?.map((d) => d.field)).toContain(field);
  });

  it('leaves each payload to its own check: a reserved key in one is no fault of the batch', () => {
    const payload: unknown = JSON.parse('{"constructor":{"x":1}}');
    const batch = batchOf({ items: [{ data: payload }, { data: ownership }] }) as PublishBatchDto;
    expect(batch).toBeInstanceOf(PublishBatchDto);
    expect(batch.items.map((i) => i.data)).toEqual([payload, ownership]);
    const refusal = batchOf(JSON.parse('{"items":[],"__proto__":{"x":1}}'));
    expect((refusal as Refusal).details?.map((d) => d.field)).toContain('__proto__');
  });

  it('refuses a wrapper nested too deep without walking it, and leaves a deep payload to its check', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const refusal = batchOf({ items: [{ data: ownership, correlationId: deep }] });
    expect(refusal).toMatchObject({ code: 'REQUEST.VALIDATION_FAILED' });
    expect((refusal as Refusal).details).toEqual([
      { field: '$', messages: [expect.any(String) as string] },
    ]);
    expect(batchOf({ items: [{ data: deep }] })).toBeInstanceOf(PublishBatchDto);
  });
});
