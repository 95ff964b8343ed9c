import fc from 'fast-check';
import { EVENT_TYPES, eventTypeKey } from '../event-types';
import { VALID_EXAMPLES } from '../examples';
import { Type } from 'class-transformer';
import { IsInt } from 'class-validator';
import {
  MAX_PAYLOAD_DEPTH,
  nestingDepthExceeds,
  reservedKeyPath,
  WHOLE_PAYLOAD,
} from './json-shape';
import { validateAs, validatePayload } from './validate-payload';

/** The depth as a recursive definition states it, for values shallow enough to recurse. */
function depth(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depth));
}

/** `{"a": {"a": … 1 …}}`, `levels` objects deep, built without recursion. */
function nested(levels: number): object {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v as object;
}

describe('nestingDepthExceeds', () => {
  it('agrees with the recursive definition of depth', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 14 }), (v, max) => {
        expect(nestingDepthExceeds(v, max)).toBe(depth(v) > max);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('walks a value far deeper than the stack allows', () => {
    expect(nestingDepthExceeds(nested(200_000))).toBe(true);
    expect(nestingDepthExceeds(nested(MAX_PAYLOAD_DEPTH))).toBe(false);
    expect(nestingDepthExceeds(nested(MAX_PAYLOAD_DEPTH + 1))).toBe(true);
  });

  it('leaves room for every contract example', () => {
    for (const example of Object.values(VALID_EXAMPLES))
      expect(depth(example)).toBeLessThan(MAX_PAYLOAD_DEPTH - 3);
  });
});

describe('validatePayload on what is not a payload', () => {
  const def = EVENT_TYPES.find((d) => eventTypeKey(d) === 'land.ownership-registered.v1')!;

  it('refuses a payload nested too deep as a whole, instead of overflowing the stack', () => {
    const { errors } = validatePayload(def, { owners: nested(100_000) });
    expect(errors).toEqual([{ field: WHOLE_PAYLOAD, messages: [expect.stringMatching(/deep/)] }]);
  });

  it.each([undefined, null, 7, 'text', [], [VALID_EXAMPLES['land.ownership-registered.v1']]])(
    'refuses %p as a whole: a payload is a JSON object',
    (data) => {
      expect(validatePayload(def, data).errors).toEqual([
        { field: WHOLE_PAYLOAD, messages: ['the payload must be a JSON object'] },
      ]);
    },
  );

  it('still accepts the valid example and names the fields of an invalid one', () => {
    const valid = VALID_EXAMPLES['land.ownership-registered.v1'];
    expect(validatePayload(def, valid).errors).toEqual([]);
    const fields = validatePayload(def, { ...valid, owners: [] }).errors.map((e) => e.field);
    expect(fields).toEqual(['owners']);
  });
});

describe('reserved keys', () => {
  const parsed = (json: string): unknown => JSON.parse(json);

  it('finds __proto__, constructor and prototype wherever they are, as JSON.parse leaves them', () => {
    expect(reservedKeyPath(parsed('{"a":[{"b":{"__proto__":{"x":1}}}]}'))).toBe('a.0.b.__proto__');
    expect(reservedKeyPath(parsed('{"constructor":"x"}'))).toBe('constructor');
    expect(reservedKeyPath(parsed('{"a":{"prototype":null}}'))).toBe('a.prototype');
    expect(reservedKeyPath(parsed('{"a":["constructor"],"b":{"c":1}}'))).toBeUndefined();
  });

  it('are refused by name before class-transformer, which fails on them, sees the payload', () => {
    const def = EVENT_TYPES.find((d) => eventTypeKey(d) === 'land.ownership-registered.v1')!;
    const { errors } = validatePayload(def, parsed('{"owners":[{"constructor":"\\u0000"}]}'));
    expect(errors).toEqual([
      { field: 'owners.0.constructor', messages: [expect.any(String) as string] },
    ]);
  });
});

describe('validateAs on input class-transformer cannot take', () => {
  class Limit {
    @Type(() => Number)
    @IsInt()
    limit: number;
  }

  it('refuses it as a whole instead of throwing', () => {
    const { errors } = validateAs(Limit, { limit: { toString: '' } }, 'body');
    expect(errors).toEqual([
      { field: WHOLE_PAYLOAD, messages: ['the body could not be read field by field (TypeError)'] },
    ]);
    expect(validateAs(Limit, { limit: '7' }, 'body').errors).toEqual([]);
  });
});
