import { personalIdPrefix, provinceByCode } from '@lgsp/contracts';
import { PermanentError, RetryLaterError } from '@lgsp/messaging';
import type { Metrics } from '@lgsp/observability';
import type { Counter, Gauge } from 'prom-client';
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CircuitBreaker } from './circuit-breaker';
import {
  type DeathNotice,
  type DeathOutcome,
  type IdentityCheck,
  type IdentityClaim,
  type NewbornOutcome,
  type NewbornRequest,
  type PopulationRegistry,
  type RegisteredCitizen,
  RegistryUnavailableError,
} from './population-registry';

export interface HttpRegistrySettings {
  /** The API's base URL, a path prefix allowed; requests go to `<url>/v1/…`. */
  url: string;
  token?: string;
  timeoutMs: number;
  retries: number;
  breakerFailures: number;
  breakerOpenMs: number;
}

/** Items per request: the contract allows 1,000. */
const CHUNK = 500;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;
/** A Retry-After longer than this is not waited out in the request: the record waits instead. */
const RETRY_AFTER_BUDGET_MS = 2000;
/** The most a Retry-After is taken to ask for: the register is asked again after that. */
const RETRY_AFTER_MAX_MS = 5 * 60_000;

/** The codes each operation may refuse a record with (the contract's), ours with the prefix. */
const REFUSALS: Record<'newborns' | 'deaths', Set<string>> = {
  newborns: new Set([
    'PARENT_NOT_FOUND',
    'PARENT_DECEASED',
    'ID_RANGE_EXHAUSTED',
    'BIRTH_ALREADY_REGISTERED',
  ]),
  deaths: new Set(['CITIZEN_NOT_FOUND', 'ALREADY_DECEASED', 'IDENTITY_MISMATCH']),
};

/** Statuses that say the request itself is wrong: retrying the same request cannot help. */
const REQUEST_REFUSED = new Set([400, 413, 422]);

/** A failure of one request: whether another try may cure it, and what to say. */
class CallFailure extends Error {
  constructor(
    readonly transient: boolean,
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isId = (v: unknown): v is string => typeof v === 'string' && /^\d{12}$/.test(v);
const isText = (v: unknown, max = 300): v is string =>
  typeof v === 'string' &&
  v.length >= 1 &&
  v.length <= max &&
  v === v.normalize('NFC') &&
  // eslint-disable-next-line no-control-regex
  !/[\u0000-\u001f\u007f]/.test(v);
/** An address as the events carry one (NFC, 2–300 characters). */
const isAddress = (v: unknown): v is string => isText(v) && v.length >= 2;

/**
 * Text from the register that may end up in a receipt's reason: on one line, at most 200
 * characters, and any run of nine or more digits (an ID number, whole or in part) masked.
 */
export function quotable(text: string): string {
  return text
    .replace(/\d{9,}/g, '[…]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

function refusalOf(
  r: Json,
  operation: 'newborns' | 'deaths',
): { refused: { code: string; message: string } } | undefined {
  if (r.status !== 'REFUSED' || typeof r.code !== 'string') return undefined;
  const message = quotable(typeof r.message === 'string' ? r.message : '');
  return REFUSALS[operation].has(r.code)
    ? { refused: { code: `POPULATION.${r.code}`, message } }
    : {
        refused: {
          code: 'POPULATION.REGISTRY_REFUSED',
          message: quotable(`${r.code.slice(0, 40)}: ${message}`),
        },
      };
}

const identityCheck = (r: unknown): IdentityCheck | undefined => {
  if (!isObject(r)) return undefined;
  if (r.result === 'MATCH' || r.result === 'NOT_FOUND') return { result: r.result };
  const fields = r.mismatchedFields;
  if (
    r.result === 'MISMATCH' &&
    Array.isArray(fields) &&
    fields.length > 0 &&
    fields.every((f) => f === 'fullName' || f === 'dateOfBirth')
  )
    return { result: 'MISMATCH', mismatchedFields: fields as ('fullName' | 'dateOfBirth')[] };
  return undefined;
};

/** A registration must give an ID of the newborn's province, sex and century, and year. */
const newbornOutcome = (r: unknown, n: NewbornRequest): NewbornOutcome | undefined => {
  if (!isObject(r)) return undefined;
  if (r.status === 'REGISTERED') {
    const prefix = personalIdPrefix(n.provinceCode, n.sex, Number(n.dateOfBirth.slice(0, 4)));
    const address = r.permanentAddress;
    if (!isId(r.personalId) || !r.personalId.startsWith(prefix)) return undefined;
    if (address !== null && !isAddress(address)) return undefined;
    return { personalId: r.personalId, permanentAddress: address };
  }
  return refusalOf(r, 'newborns');
};

const deathOutcome = (r: unknown): DeathOutcome | undefined => {
  if (!isObject(r)) return undefined;
  if (r.status === 'RECORDED' && isDate(r.residenceRemovedOn))
    return { residenceRemovedOn: r.residenceRemovedOn };
  return refusalOf(r, 'deaths');
};

/** The documented fields of a citizen, checked; nothing else the answer may hold. */
const citizen = (r: unknown): RegisteredCitizen | undefined => {
  if (!isObject(r)) return undefined;
  const ok =
    isId(r.personalId) &&
    isText(r.fullName) &&
    (r.sex === 'MALE' || r.sex === 'FEMALE') &&
    isDate(r.dateOfBirth) &&
    (r.permanentAddress === null || isAddress(r.permanentAddress)) &&
    (r.status === 'ALIVE' || r.status === 'DECEASED') &&
    (r.dateOfDeath === null || isDate(r.dateOfDeath)) &&
    (r.residenceRemovedOn === null || isDate(r.residenceRemovedOn));
  if (!ok) return undefined;
  return {
    personalId: r.personalId as string,
    fullName: r.fullName as string,
    sex: r.sex as RegisteredCitizen['sex'],
    dateOfBirth: r.dateOfBirth as string,
    permanentAddress: r.permanentAddress as string | null,
    status: r.status as RegisteredCitizen['status'],
    dateOfDeath: r.dateOfDeath as string | null,
    residenceRemovedOn: r.residenceRemovedOn as string | null,
  };
};

/** The request id as the contract takes it (1–100 characters): a longer one by its digest. */
export function wireRequestId(id: string): string {
  return id.length <= 100 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), at most 5 minutes; 0 when none. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isNaN(ms) ? 0 : Math.min(RETRY_AFTER_MAX_MS, Math.max(0, ms));
}

/** What of an error answer a message may say: its status and, if it has one, its code. */
function errorSummary(status: number, text: string): string {
  let code: unknown;
  try {
    code = (JSON.parse(text) as Json | null)?.code;
  } catch {
    code = undefined;
  }
  return typeof code === 'string' && /^[A-Z][A-Z0-9_.]{0,59}$/.test(code)
    ? `HTTP ${status} ${code}`
    : `HTTP ${status}`;
}

/**
 * The population registry as a client of the national population API
 * (`apps/population-adapter/contract/national-population-api.yaml`).
 *
 * - Each request has a timeout. A timeout, a refused connection, 408, 429, a 5xx, a 4xx that
 *   says the service is wrong rather than the request (401, 403, 404 on a POST, 405…) or an
 *   answer the contract does not allow is **transient**: retried with exponential backoff
 *   and jitter, then thrown as `RegistryUnavailableError` — the consumer retries the record
 *   and finally settles it as FAILED.
 * - 400, 413 and 422 are **permanent** for the whole batch (`POPULATION.REGISTRY_REQUEST_REFUSED`):
 *   the request itself is wrong, and sending it again will not change that.
 * - A record the register refuses is a **coded refusal** of that record alone.
 * - A circuit breaker stops calling after repeated failures. While it is open, and when a
 *   `Retry-After` asks for longer than the client waits, the call throws `RetryLaterError`:
 *   the record waits that long and is not charged an attempt.
 *
 * Retrying a write is safe: the API is idempotent by request id (the event's id).
 * Messages quote the register's status and error code only, never its bodies.
 */
export class HttpPopulationRegistry implements PopulationRegistry {
  readonly kind = 'http';
  private readonly breaker: CircuitBreaker;
  /** The base URL without credentials, query or fragment: requests and messages use it. */
  private readonly base: string;
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly circuitOpen: Gauge;

  constructor(
    private readonly settings: HttpRegistrySettings,
    metrics: Metrics,
    private readonly logger: Logger,
  ) {
    this.breaker = new CircuitBreaker(settings.breakerFailures, settings.breakerOpenMs);
    const url = new URL(settings.url);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    this.base = url.href.endsWith('/') ? url.href : `${url.href}/`;
    this.requests = metrics.counter({
      name: 'lgsp_population_registry_requests_total',
      help: 'Requests to the national population API, by operation and outcome (ok, transient, permanent, circuit_open).',
      labelNames: ['operation', 'outcome'],
    });
    this.circuitOpen = metrics.gauge({
      name: 'lgsp_population_registry_circuit_open',
      help: '1 while the circuit to the national population API is open (calls fail fast).',
    });
  }

  // Each item is sent with the contract's fields only (the caller's objects may hold more).
  async checkIdentities(claims: IdentityClaim[]): Promise<IdentityCheck[]> {
    const items = claims.map(({ personalId, fullName, dateOfBirth }) => ({
      personalId,
      fullName,
      dateOfBirth,
    }));
    return this.batched('identity-checks', items, identityCheck);
  }

  async registerNewborns(newborns: NewbornRequest[]): Promise<NewbornOutcome[]> {
    const items = newborns.map((n) => ({
      requestId: wireRequestId(n.requestId),
      birthRegistrationId: n.birthRegistrationId,
      fullName: n.fullName,
      sex: n.sex,
      dateOfBirth: n.dateOfBirth,
      // The API takes the 3-digit code that starts a personal ID ('0' + the 2-digit code).
      provinceCode: provinceByCode(n.provinceCode)?.idPrefix ?? n.provinceCode,
      ...(n.motherId ? { motherId: n.motherId } : {}),
      ...(n.fatherId ? { fatherId: n.fatherId } : {}),
    }));
    return this.batched('newborns', items, (r, i) => newbornOutcome(r, newborns[i]));
  }

  async recordDeaths(deaths: DeathNotice[]): Promise<DeathOutcome[]> {
    const items = deaths.map((d) => ({
      requestId: wireRequestId(d.requestId),
      deathRegistrationId: d.deathRegistrationId,
      personalId: d.personalId,
      fullName: d.fullName,
      dateOfBirth: d.dateOfBirth,
      dateOfDeath: d.dateOfDeath,
    }));
    return this.batched('deaths', items, deathOutcome);
  }

  async lookUp(personalId: string): Promise<RegisteredCitizen | undefined> {
    if (!isId(personalId)) return undefined;
    const answer = await this.call(
      'citizens',
      'GET',
      `v1/citizens/${personalId}`,
      undefined,
      (s, body) => (s === 404 ? null : citizen(body)),
    );
    return answer ?? undefined;
  }

  /** Sends the items in chunks the contract allows; the results, checked, in their order. */
  private async batched<I, R>(
    operation: string,
    items: I[],
    read: (r: unknown, index: number) => R | undefined,
  ): Promise<R[]> {
    const out: R[] = [];
    for (let start = 0; start < items.length; start += CHUNK) {
      const chunk = items.slice(start, start + CHUNK);
      out.push(
        ...(await this.call(operation, 'POST', `v1/${operation}`, { items: chunk }, (_, body) => {
          const results = isObject(body) ? body.results : undefined;
          if (!Array.isArray(results) || results.length !== chunk.length) return undefined;
          const answers: R[] = [];
          for (const [i, r] of results.entries()) {
            const answer = read(r, start + i);
            if (answer === undefined) return undefined;
            answers.push(answer);
          }
          return answers;
        })),
      );
    }
    return out;
  }

  /**
   * One request, with its retries. `read` turns a 2xx (or 404 for a look-up) answer into the
   * result, or `undefined` when the answer is not what the contract says.
   */
  private async call<R>(
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    read: (status: number, body: unknown) => R | undefined,
  ): Promise<R> {
    let last: CallFailure | undefined;
    for (let attempt = 0; attempt <= this.settings.retries; attempt++) {
      if (!this.breaker.allows()) {
        this.requests.inc({ operation, outcome: 'circuit_open' });
        throw new RetryLaterError(
          `population registry: circuit open after repeated failures (${last?.message ?? 'earlier requests'}); next trial in ${this.breaker.retryInMs} ms`,
          Math.max(this.breaker.retryInMs, 1),
        );
      }
      try {
        const result = await this.once(method, path, body, read);
        this.breaker.succeeded();
        this.circuitOpen.set(0);
        this.requests.inc({ operation, outcome: 'ok' });
        return result;
      } catch (e) {
        const failure =
          e instanceof CallFailure
            ? e
            : new CallFailure(true, e instanceof Error ? e.message : String(e));
        if (!failure.transient) {
          // The register answered: it is up; the request is what is wrong.
          this.breaker.succeeded();
          this.circuitOpen.set(0);
          this.requests.inc({ operation, outcome: 'permanent' });
          throw new PermanentError(
            'POPULATION.REGISTRY_REQUEST_REFUSED',
            `population registry refused the request: ${failure.message}`,
          );
        }
        this.breaker.failed();
        this.circuitOpen.set(this.breaker.state === 'closed' ? 0 : 1);
        this.requests.inc({ operation, outcome: 'transient' });
        last = failure;
        if (failure.retryAfterMs > RETRY_AFTER_BUDGET_MS)
          throw new RetryLaterError(
            `population registry asks to wait ${Math.round(failure.retryAfterMs / 1000)} s (${failure.message})`,
            failure.retryAfterMs,
          );
        if (attempt < this.settings.retries && this.breaker.state === 'closed') {
          const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
          const wait = Math.max(failure.retryAfterMs, backoff / 2 + Math.random() * (backoff / 2));
          this.logger.warn(
            { operation, attempt: attempt + 1, retryInMs: Math.round(wait), err: failure.message },
            'population registry request failed; retrying',
          );
          await sleep(wait);
        } else break;
      }
    }
    throw new RegistryUnavailableError(`population registry unavailable: ${last?.message}`);
  }

  private async once<R>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    read: (status: number, body: unknown) => R | undefined,
  ): Promise<R> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL(path, this.base), {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.settings.token ? { authorization: `Bearer ${this.settings.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      // An abort is a DOMException, not always an Error of this realm: go by its name.
      const name = (e as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const cause = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
      throw new CallFailure(
        true,
        timedOut
          ? `no answer within ${this.settings.timeoutMs} ms`
          : `cannot reach ${this.base}${typeof cause === 'string' ? ` (${cause})` : ''}`,
      );
    }
    const status = res.status;
    if ((status >= 200 && status < 300) || (status === 404 && method === 'GET')) {
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const result = read(status, parsed);
      if (result === undefined)
        throw new CallFailure(
          true,
          `HTTP ${status} with an answer the contract does not allow (${text.length} characters of ${res.headers.get('content-type') ?? 'no content type'})`,
        );
      return result;
    }
    throw new CallFailure(
      !REQUEST_REFUSED.has(status),
      errorSummary(status, text),
      status === 429 || status === 503 ? retryAfterMs(res.headers.get('retry-after')) : 0,
    );
  }
}
