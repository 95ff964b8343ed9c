import fc from 'fast-check';

/**
 * Bounds of a fuzz property. In CI: a fixed seed, `ciRuns` runs and a time budget, so the
 * run is the same every time and short. Locally, `FUZZ_RUNS=2000` asks for that many inputs
 * (a run may carry `inputsPerRun` of them) with no time budget, and a fresh seed unless
 * `FUZZ_SEED` names one; the seed is printed, and `FUZZ_SEED` with `FUZZ_PATH` (the seed and
 * path fast-check reports) replays a failure.
 */
export function fuzzParameters(
  ciRuns: number,
  {
    inputsPerRun = 1,
    ciTimeMs = 60_000,
    salt = 0,
  }: {
    inputsPerRun?: number;
    ciTimeMs?: number;
    /** Sets properties that share a run's seed apart (one per door, say). */
    salt?: number;
  } = {},
): { numRuns: number; seed: number; path?: string; interruptAfterTimeLimit?: number } {
  const asked = Number(process.env.FUZZ_RUNS);
  const local = Number.isFinite(asked) && asked > 0;
  const given = Number(process.env.FUZZ_SEED);
  const base = Number.isInteger(given) ? given : local ? Date.now() % 2 ** 31 : 20261122;
  const seed = (base + salt) | 0;
  // `FUZZ_PATH` (with FUZZ_SEED) replays the one failing input fast-check reported.
  const path = process.env.FUZZ_PATH || undefined;
  return local
    ? { numRuns: Math.max(1, Math.ceil(asked / inputsPerRun)), seed, path }
    : { numRuns: ciRuns, seed, path, interruptAfterTimeLimit: ciTimeMs };
}

/** The Jest timeout of a fuzz test: the default in CI, hours for a long local run. */
export function fuzzTimeout(ciMs = 120_000): number {
  return Number(process.env.FUZZ_RUNS) > 0 ? 6 * 3_600_000 : ciMs;
}

/** Counts inputs by outcome and prints the tally: how much a property really tried. */
export class FuzzTally {
  private readonly counts = new Map<string, number>();
  inputs = 0;

  constructor(private readonly name: string) {}

  add(outcome: string | number): void {
    this.inputs++;
    this.counts.set(String(outcome), (this.counts.get(String(outcome)) ?? 0) + 1);
  }

  print(seed: number): void {
    const outcomes = [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k}×${n}`)
      .join(' ');
    process.stdout.write(`fuzz ${this.name}: ${this.inputs} inputs, seed ${seed}: ${outcomes}\n`);
  }
}

/** Pieces that have broken parsers, databases and logs before. */
const ODD_PIECES = [
  '\u0000',
  '\u202E', // right-to-left override
  '\u200F', // right-to-left mark
  '\u200B',
  '\uFEFF',
  'e\u0301', // a combining accent
  'Nguye\u0302\u0303n', // Vietnamese, decomposed (not NFC)
  '\u0301'.repeat(40),
  '\uD800', // lone surrogates
  '\uDFFF',
  '😀',
  '\r\n',
  '\\',
  '"',
  "'; DROP TABLE births; --",
  '%00',
  '%E0%A4%A',
  '../../',
  '<script>',
  '${jndi:ldap://x/}',
  '079190001234', // a personal ID
  '1e999',
  'NaN',
  '-0',
  'null',
  'true',
  '__proto__',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** A string of odd pieces, any code points and lone surrogates; now and then a huge one. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(
        fc.oneof(
          fc.constantFrom(...ODD_PIECES),
          fc.string({ unit: 'binary', maxLength: 6 }),
          fc.string({ unit: loneSurrogate, maxLength: 2 }),
        ),
        { maxLength: 8 },
      )
      .map((pieces) => pieces.join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('x', 'ễ', '😀', '\u0301', '9'),
        fc.integer({ min: 5_000, max: 200_000 }),
      )
      .map(([c, n]) => c.repeat(n)),
  },
);

const oddNumber = fc.oneof(
  fc.integer(),
  fc.double(), // NaN and ±Infinity become null in JSON
  fc.constantFrom(1e308, -0, 2 ** 53 + 1, 0.1 + 0.2, -1, 0),
);

/** Keys a JSON object may carry, prototype pollution among them. */
export const oddKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'a.b'),
  oddString.filter((s) => s.length < 64),
);

/** An object with exactly these own keys: `__proto__` included as a key, not a prototype. */
export function ownObject(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Any JSON value made of odd strings, numbers and keys, a few levels deep. */
export const oddJson: fc.Arbitrary<unknown> = fc.letrec<{
  value: unknown;
  array: unknown[];
  object: Record<string, unknown>;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    oddString,
    oddNumber,
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(oddKey, tie('value')), { maxLength: 4 }).map(ownObject),
})).value;

/** Every path into a JSON value, the root and the containers included. */
export function jsonPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [at];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [at, ...keys.flatMap((k) => jsonPaths((v as Record<string, unknown>)[k], [...at, k]))];
}

/** The value with every number and boolean written as a string, as a careless client sends. */
export function stringly(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(stringly);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringly(x)]));
  return v;
}

type Edit = { at: number; op: 'set' | 'delete' | 'add'; value: unknown; key: string };

function applyEdit(root: unknown, { at, op, value, key }: Edit): unknown {
  const paths = jsonPaths(root);
  const path = paths[at % paths.length];
  if (path.length === 0) return op === 'set' ? value : root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const target = node[last];
  if (op === 'delete' && Array.isArray(node)) node.splice(Number(last), 1);
  else if (op === 'delete') delete node[last];
  else if (op === 'set') node[last] = value;
  else if (typeof target === 'object' && target !== null && !Array.isArray(target))
    Object.defineProperty(target, key, { value, enumerable: true, writable: true });
  return copy;
}

/** A valid body broken in a few places: a field set to an odd value, removed, or added. */
export function mutatedJson(valid: unknown): fc.Arbitrary<unknown> {
  const edit = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
    value: oddJson,
    key: oddKey,
  });
  return fc
    .tuple(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([edits, strings]) => edits.reduce(applyEdit, strings ? stringly(valid) : valid));
}

/** JSON text nested `depth` levels, written as text: too deep to build as a value here. */
export function deepJsonText(depth: number, leaf = '1'): string {
  const open = ['{"a":', '['];
  let head = '';
  let tail = '';
  for (let i = 0; i < depth; i++) {
    head += open[i % 2];
    tail = (i % 2 ? ']' : '}') + tail;
  }
  return head + leaf + tail;
}

/** Header values an HTTP client can send: bytes 0x20–0xFF, no line breaks, no NUL. */
export const headerValue: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({
      unit: fc
        .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
        .map((c) => String.fromCharCode(c)),
      maxLength: 80,
    }),
    fc.integer({ min: 1_000, max: 12_000 }).map((n) => 'k'.repeat(n)),
  )
  .map((s) => s.trim());
