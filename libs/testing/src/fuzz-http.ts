import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { deepJsonText, jsonPaths, mutatedJson, oddJson, oddKey, oddString } from './fuzz';

/** A request body as it goes on the wire, with the headers that describe it. */
export interface HostileBody {
  /** What kind of hostility this is, for the tally. */
  label: string;
  body?: Buffer;
  headers: Record<string, string>;
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
];
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const json = (label: string, text: string, type = 'application/json'): HostileBody => ({
  label,
  body: utf8(text),
  headers: { 'content-type': type },
});

/** Percent-encodes the UTF-8 bytes of a string (a lone surrogate becomes U+FFFD, as a browser sends it). */
export function percentEncoded(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** The valid body, with a marker at one of its paths replaced by `text` (for text no value holds). */
function inject(valid: unknown, at: number, text: string): string {
  const paths = jsonPaths(valid);
  const path = paths[at % paths.length];
  if (path.length === 0) return text;
  const marker = '\u0001inject\u0001';
  const copy = structuredClone(valid) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), text);
}

/**
 * A hostile body for a door whose valid body is `valid`: the valid body broken in a few
 * places (numbers as strings, odd values, `__proto__` keys), any odd JSON, nesting tens of
 * thousands deep, malformed or truncated JSON, wrong encodings and charsets, wrong content
 * types, compressed or falsely compressed bodies, and no body at all.
 */
export function hostileBody(valid: unknown): fc.Arbitrary<HostileBody> {
  const text = JSON.stringify(valid);
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(mutatedJson(valid), fc.constantFrom(...JSON_TYPES))
        .map(([v, type]) => json('mutated', JSON.stringify(v) ?? 'null', type)),
    },
    { weight: 2, arbitrary: oddJson.map((v) => json('odd-json', JSON.stringify(v) ?? 'null')) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.nat(), fc.integer({ min: 33, max: 30_000 }), fc.boolean())
        .map(([at, depth, arrays]) =>
          json('deep', inject(valid, at, deepJsonText(depth, arrays ? '[1]' : '{}'))),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.nat({ max: text.length - 1 }).map((n) => json('malformed', text.slice(0, n))),
        fc.constantFrom(
          json('malformed', `${text},`),
          json('malformed', `${text}${text}`),
          json('malformed', text.replace(/"/g, "'")),
          json('malformed', '{"a":1,}'),
          json('malformed', ''),
        ),
        fc.constantFrom('null', '5', '"x"', '[]', 'true', '[null]').map((t) => json('scalar', t)),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom<HostileBody>(
          {
            label: 'utf-16',
            body: Buffer.from(text, 'utf16le'),
            headers: { 'content-type': 'application/json; charset=utf-16' },
          },
          {
            label: 'utf-16',
            body: Buffer.from(text, 'utf16le'),
            headers: { 'content-type': 'application/json' },
          },
          {
            label: 'latin1',
            body: Buffer.from(text, 'latin1'),
            headers: { 'content-type': 'application/json' },
          },
          {
            label: 'bom',
            body: utf8(`\uFEFF${text}`),
            headers: { 'content-type': 'application/json' },
          },
        ),
        fc.uint8Array({ maxLength: 200 }).map((b) => ({
          label: 'bytes',
          body: Buffer.from(b),
          headers: { 'content-type': 'application/json' },
        })),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc
          .constantFrom(
            'text/plain',
            'application/json; charset=latin1',
            'application/json; charset=bogus',
            'application/jsonx',
            'application/vnd.api+json',
            'multipart/form-data; boundary=x',
            '*/*',
            'application/json;;;',
          )
          .map((type) => ({
            label: 'content-type',
            body: utf8(text),
            headers: { 'content-type': type },
          })),
        fc.constant({ label: 'no-content-type', body: utf8(text), headers: {} }),
        fc
          .array(
            fc.tuple(
              fc.oneof(
                oddKey,
                fc.constantFrom(
                  '__proto__[polluted]',
                  'a[b][c][d][e][f][g][h]',
                  'items[0][data][x]',
                ),
              ),
              oddString,
            ),
            { maxLength: 6 },
          )
          .map((pairs) => ({
            label: 'form',
            body: utf8(
              pairs
                .map(([k, v]) => `${percentEncoded(k)}=${percentEncoded(v.slice(0, 2000))}`)
                .join('&'),
            ),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<HostileBody>(
        {
          label: 'gzip',
          body: gzipSync(utf8(text)),
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        },
        {
          label: 'false-gzip',
          body: utf8(text),
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        },
        {
          label: 'false-deflate',
          body: utf8(text),
          headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' },
        },
        {
          label: 'encoding',
          body: utf8(text),
          headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
        },
        {
          label: 'encoding',
          body: utf8(text),
          headers: { 'content-type': 'application/json', 'content-encoding': 'bogus' },
        },
        { label: 'empty', headers: { 'content-type': 'application/json' } },
      ),
    },
  );
}

/** A body larger than any door takes (the limit is 10 MB). */
export function oversizedBody(): HostileBody {
  return json('oversized', JSON.stringify({ pad: 'x'.repeat(11 * 1024 * 1024) }));
}

/** An HTTP answer, read whatever it holds. */
export interface Answer {
  status: number;
  text: string;
  body: unknown;
  correlationHeader: string | null;
}

export async function send(
  method: string,
  url: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
): Promise<Answer> {
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return {
    status: res.status,
    text,
    body: parsed,
    correlationHeader: res.headers.get('x-correlation-id'),
  };
}

const CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/;

/**
 * What is wrong with an answer, if anything: a 5xx, or a refusal without the services'
 * shape — `{ code: "AREA.NAME", message, correlationId }`, the id also in X-Correlation-Id.
 */
export function answerProblem(a: Answer): string | undefined {
  if (a.status >= 500) return `server error ${a.status}: ${a.text.slice(0, 300)}`;
  if (a.status < 400) return undefined;
  const b = a.body as { code?: unknown; message?: unknown; correlationId?: unknown } | undefined;
  if (typeof b?.code !== 'string' || !CODE.test(b.code))
    return `refusal ${a.status} without a stable code: ${a.text.slice(0, 300)}`;
  if (typeof b.message !== 'string' || b.message.length === 0)
    return `refusal ${b.code} without a message`;
  if (typeof b.correlationId !== 'string' || b.correlationId.length === 0)
    return `refusal ${b.code} without a correlation id`;
  if (a.correlationHeader !== b.correlationId)
    return `refusal ${b.code}: correlation id ${b.correlationId} not in X-Correlation-Id (${a.correlationHeader})`;
  return undefined;
}
