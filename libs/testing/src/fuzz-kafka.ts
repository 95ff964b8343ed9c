import fc from 'fast-check';
import type { IHeaders, Message } from 'kafkajs';
import { deepJsonText, mutatedJson, oddJson, oddString } from './fuzz';

/** A well-formed record, as its producer would write it. */
export interface BaseRecord {
  key: string | null;
  headers: Record<string, string>;
  value: Buffer;
}

/** A value just over the consumers' limit (1,000,000 bytes): the record must stay under the broker's. */
const OVER_LIMIT = 'over the limit';

type HeaderValue = string | Buffer | (string | Buffer)[];
type Edit = { name: string; value?: HeaderValue; label: string };
/** How to break one record: its value, some headers, its key, its timestamp. */
export interface RecordPlan {
  value: { label: string; bytes?: Buffer | null };
  edits: Edit[];
  key: { label: string; key?: string | Buffer | null };
  timestamp?: string;
}

const ATTRIBUTES = [
  'ce_id',
  'ce_source',
  'ce_type',
  'ce_time',
  'ce_specversion',
  'ce_correlationid',
  'ce_causationid',
  'ce_subject',
  'content-type',
];

const notUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 40 })
  .map((b) => Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(b)]));

const ODD_VALUES: Record<string, string[]> = {
  ce_time: [
    '0000-01-01T00:00:00Z',
    '2026-W01-1',
    '1',
    'yesterday',
    '+275760-09-13T00:00:00.000Z',
    '1969-12-31T23:59:59Z',
    '9999-12-31T23:59:59Z',
  ],
  ce_specversion: ['0.3', '1.0 ', ''],
  ce_type: [
    'vn.lgsp.land.ownership-registered.v1',
    'vn.lgsp.civil-status.birth-registered.v1',
    'vn.lgsp.civil-status.birth-registered.v9',
    'vn.lgsp.hub.receipt.v1',
  ],
  ce_source: [
    '/lgsp/01/land',
    '/lgsp/01/population',
    '/lgsp/01/civil-status',
    `/lgsp/01/${'a'.repeat(5000)}`,
  ],
  'content-type': ['text/plain', 'application/json; charset=latin1', '', 'application/xml'],
};

/** What a producer may do to a header: drop it, garble it, repeat it, bloat it, mis-encode it. */
const edit: fc.Arbitrary<Edit> = fc.constantFrom(...ATTRIBUTES, 'x-pad').chain((name) =>
  fc.oneof(
    fc.constant({ name, label: `no ${name}` }),
    oddString.map((v) => ({ name, value: v.slice(0, 50_000), label: `odd ${name}` })),
    notUtf8.map((v) => ({ name, value: v, label: `non-utf8 ${name}` })),
    fc.tuple(oddString, oddString).map(([a, b]) => ({
      name,
      value: [a.slice(0, 100), b.slice(0, 100)],
      label: `twice ${name}`,
    })),
    fc
      .integer({ min: 10_000, max: 60_000 })
      .map((n) => ({ name, value: 'h'.repeat(n), label: `huge ${name}` })),
    fc.constant({ name, value: 'a\u0000b', label: `NUL in ${name}` }),
    ...(ODD_VALUES[name]
      ? [
          fc
            .constantFrom(...ODD_VALUES[name])
            .map((v) => ({ name, value: v, label: `wrong ${name}` })),
        ]
      : []),
  ),
);

/** A hostile value: garbage bytes, JSON of the wrong shape, too deep, too large, or none. */
function value(valid: unknown): fc.Arbitrary<RecordPlan['value']> {
  const text = (label: string) => (t: string) => ({ label, bytes: Buffer.from(t, 'utf8') });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ label: 'value kept' }) },
    {
      weight: 3,
      arbitrary: mutatedJson(valid).map((v) => text('mutated')(JSON.stringify(v) ?? 'null')),
    },
    { weight: 2, arbitrary: oddJson.map((v) => text('odd json')(JSON.stringify(v) ?? 'null')) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 300 })
        .map((b) => ({ label: 'bytes', bytes: Buffer.from(b) })),
    },
    { weight: 1, arbitrary: notUtf8.map((b) => ({ label: 'non-utf8', bytes: b })) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 33, max: 20_000 }).map((d) => text('deep')(deepJsonText(d))),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc
          .integer({ min: 200_000, max: 600_000 })
          .map((n) => text('large')(JSON.stringify({ pad: 'x'.repeat(n) }))),
        fc.constant(text(OVER_LIMIT)(JSON.stringify({ pad: 'x'.repeat(1_000_100) }))),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { label: 'empty', bytes: Buffer.alloc(0) },
        { label: 'null', bytes: null },
      ),
    },
  );
}

const key: fc.Arbitrary<RecordPlan['key']> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ label: 'key kept' }) },
  fc.constant({ label: 'no key', key: null }),
  fc.constant({ label: 'ID as key', key: '079190001234' }),
  oddString.map((k) => ({ label: 'odd key', key: k })),
  notUtf8.map((k) => ({ label: 'non-utf8 key', key: k })),
  fc.integer({ min: 10_000, max: 100_000 }).map((n) => ({ label: 'huge key', key: 'k'.repeat(n) })),
);

/** A plan to break a record whose valid payload is `valid`. */
export function hostileRecordPlan(valid: unknown): fc.Arbitrary<RecordPlan> {
  return fc.record(
    {
      value: value(valid),
      edits: fc.array(edit, { maxLength: 3 }),
      key,
      timestamp: fc.constantFrom('0', '1', '253402300800000', String(Date.UTC(2001, 0, 1))),
    },
    { requiredKeys: ['value', 'edits', 'key'] },
  );
}

/** The record the plan makes of `base`, as any Kafka client could produce it. */
export function applyPlan(base: BaseRecord, plan: RecordPlan, partition: number): Message {
  const headers: IHeaders = { ...base.headers };
  // A value over the consumers' limit leaves no room under the broker's for other bulk.
  const small = (v: HeaderValue | string | Buffer | null | undefined) =>
    plan.value.label !== OVER_LIMIT ||
    !v ||
    (Array.isArray(v) ? v : [v]).every((x) => x.length < 1000);
  for (const e of plan.edits) {
    if (e.value === undefined) delete headers[e.name];
    else if (small(e.value)) headers[e.name] = e.value;
  }
  return {
    key: 'key' in plan.key && small(plan.key.key) ? plan.key.key : base.key,
    value: 'bytes' in plan.value ? (plan.value.bytes ?? null) : base.value,
    headers,
    partition,
    ...(plan.timestamp ? { timestamp: plan.timestamp } : {}),
  };
}

/** A short description of a plan, for the tally and failure messages. */
export function planLabel(plan: RecordPlan): string {
  return [plan.value.label, ...plan.edits.map((e) => e.label), plan.key.label].join(', ');
}
