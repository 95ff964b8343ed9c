import type { Checked } from './request-validation';

/**
 * How the simulator answers contract requests (paths under /v1):
 * - `normal`: as the contract says;
 * - `slow`: waits `delayMs`, then answers as the contract says;
 * - `fail`: `{ code, message }` with `status` (default 503); 429 and 503 add `Retry-After`
 *   when `retryAfterSeconds` is given (429: 1 s when not);
 * - `garbage`: 200 with an HTML page (`not-json`, the default) or JSON of the wrong shape;
 * - `hang`: never answers; the connection stays open until the client gives up.
 * With `count`, only the next `count` contract requests misbehave, then it is `normal` again.
 */
export type Behaviour = (
  | { mode: 'normal' }
  | { mode: 'slow'; delayMs: number }
  | { mode: 'fail'; status?: number; retryAfterSeconds?: number }
  | { mode: 'garbage'; kind?: 'not-json' | 'wrong-shape' }
  | { mode: 'hang' }
) & { count?: number };

const isCount = (v: unknown) => v === undefined || (Number.isInteger(v) && Number(v) >= 0);

/** A behaviour sent to `PUT /_simulator/behaviour`, checked. */
export function parseBehaviour(v: unknown): Checked<Behaviour> {
  const bad = (problem: string): Checked<Behaviour> => ({ ok: false, problem });
  if (typeof v !== 'object' || v === null) return bad('the behaviour must be an object');
  const b = v as Record<string, unknown>;
  if (!isCount(b.count)) return bad('count must be a whole number ≥ 0');
  const count = b.count as number | undefined;
  switch (b.mode) {
    case 'normal':
      return { ok: true, value: { mode: 'normal', count } };
    case 'hang':
      return { ok: true, value: { mode: 'hang', count } };
    case 'slow':
      if (!Number.isInteger(b.delayMs) || Number(b.delayMs) < 0) {
        return bad('delayMs must be a whole number of milliseconds');
      }
      return { ok: true, value: { mode: 'slow', delayMs: Number(b.delayMs), count } };
    case 'fail': {
      const status = b.status ?? 503;
      if (!Number.isInteger(status) || Number(status) < 400 || Number(status) > 599) {
        return bad('status must be an HTTP error status (400–599)');
      }
      const retryAfter = b.retryAfterSeconds;
      if (retryAfter !== undefined && (!Number.isInteger(retryAfter) || Number(retryAfter) < 0)) {
        return bad('retryAfterSeconds must be a whole number ≥ 0');
      }
      return {
        ok: true,
        value: {
          mode: 'fail',
          status: Number(status),
          count,
          ...(retryAfter === undefined ? {} : { retryAfterSeconds: Number(retryAfter) }),
        },
      };
    }
    case 'garbage': {
      const kind = b.kind ?? 'not-json';
      if (kind !== 'not-json' && kind !== 'wrong-shape') {
        return bad('kind must be not-json or wrong-shape');
      }
      return { ok: true, value: { mode: 'garbage', kind, count } };
    }
    default:
      return bad('mode must be normal, slow, fail, garbage or hang');
  }
}
