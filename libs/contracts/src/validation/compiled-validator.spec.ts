import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { EVENT_TYPES, eventTypeKey } from '../event-types';
import { INVALID_MUTATIONS, mutated, SERVER_ONLY_MUTATIONS, VALID_EXAMPLES } from '../examples';
import { compiledValidator } from './compiled-validator';

/** The full validator, as validatePayload ran it before the compiled form existed. */
function fullyValid(cls: new () => object, data: unknown): boolean {
  const instance = plainToInstance<object, unknown>(cls, data);
  return validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }).length === 0;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into an example, objects and arrays included. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [at];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [at, ...keys.flatMap((k) => paths((v as Record<string, unknown>)[k], [...at, k]))];
}

function edit(root: unknown, path: (string | number)[], op: 'delete' | 'set' | 'add', value: Json) {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  if (path.length === 0) return op === 'set' ? value : copy;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  // Data comes from JSON.parse: arrays have no holes.
  if (op === 'delete' && Array.isArray(node)) node.splice(Number(last), 1);
  else if (op === 'delete') delete node[last];
  else if (op === 'set') node[last] = value;
  else if (typeof node[last] === 'object' && node[last] !== null)
    (node[last] as Record<string, unknown>).extra = value;
  return copy;
}

describe('compiledValidator', () => {
  const types = EVENT_TYPES.map((def) => ({ def, key: eventTypeKey(def) }));

  it('has a compiled form for every event type (so the fast path is the one in use)', () => {
    for (const { def } of types) expect(compiledValidator(def.payload)).toBeDefined();
  });

  it('agrees with the full validator on the worked examples and every documented mutation', () => {
    for (const { def, key } of types) {
      const accepts = compiledValidator(def.payload)!;
      const cases = [
        VALID_EXAMPLES[key],
        ...(INVALID_MUTATIONS[key] ?? []).map(([, change]) => mutated(key, change)),
        ...(SERVER_ONLY_MUTATIONS[key] ?? []).map(([, change]) => mutated(key, change)),
      ].filter((c) => c !== undefined);
      for (const c of cases) expect([key, accepts(c)]).toEqual([key, fullyValid(def.payload, c)]);
    }
  });

  it('agrees with the full validator on generated edits of every event type', () => {
    // Values that are often almost right: those of the examples themselves, and near misses.
    const pool: Json[] = [
      null,
      true,
      0,
      -1,
      1.5,
      '',
      ' ',
      'x',
      '2026-02-30',
      '2026-10-01',
      '9999-12-31',
      {},
      [],
      [{}],
      ['x'],
      'Trần Thị Lan'.normalize('NFD'),
      ...(Object.values(VALID_EXAMPLES).flatMap((e) =>
        paths(e).map((p) => p.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], e)),
      ) as Json[]),
    ];
    let accepted = 0;
    for (const { def, key } of types) {
      const example = VALID_EXAMPLES[key];
      if (!example) continue;
      const accepts = compiledValidator(def.payload)!;
      const edits = fc.array(
        fc.record({
          path: fc.constantFrom(...paths(example)),
          op: fc.constantFrom('delete' as const, 'set' as const, 'add' as const),
          value: fc.oneof(fc.constantFrom(...pool), fc.jsonValue() as fc.Arbitrary<Json>),
        }),
        { minLength: 0, maxLength: 3 },
      );
      fc.assert(
        fc.property(edits, (list) => {
          let data: unknown = example;
          for (const e of list) {
            try {
              data = edit(data, e.path, e.op, e.value);
            } catch {
              return; // the path no longer exists after an earlier edit
            }
          }
          // A payload that is not a JSON object never gets this far: the envelope refuses it.
          if (typeof data !== 'object' || data === null || Array.isArray(data)) return;
          const fast = accepts(data);
          if (fast) accepted++;
          expect([key, data, fast]).toEqual([key, data, fullyValid(def.payload, data)]);
        }),
        { numRuns: 400, seed: 4242 },
      );
    }
    expect(accepted).toBeGreaterThan(100); // the runs reached valid payloads too
  });
});
