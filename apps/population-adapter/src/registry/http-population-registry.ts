import { provinceByCode } from '@lgsp/contracts';
import { PermanentError } from '@lgsp/messaging';
import type { Metrics } from '@lgsp/observability';
import type { Counter, Gauge } from 'prom-client';
import type { Logger } from 'pino';
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
  /** The API's base URL; paths are `/v1/…` below it. */
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

/** Codes the contract lets the register refuse a record with, ours with the service prefix. */
const REFUSAL_CODES = new Set([
  'PARENT_NOT_FOUND',
  'PARENT_DECEASED',
  'ID_RANGE_EXHAUSTED',
  'CITIZEN_NOT_FOUND',
  'ALREADY_DECEASED',
  'IDENTITY_MISMATCH',
]);

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
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function refusalOf(r: Json): { refused: { code: string; message: string } } | undefined {
  if (r.status !== 'REFUSED' || !isText(r.code)) return undefined;
  const message = typeof r.message === 'string' ? r.message : '';
  return REFUSAL_CODES.has(r.code)
    ? { refused: { code: `POPULATION.${r.code}`, message } }
    : { refused: { code: 'POPULATION.REGISTRY_REFUSED', message: `${r.code}: ${message}` } };
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

const newbornOutcome = (r: unknown): NewbornOutcome | undefined => {
  if (!isObject(r)) return undefined;
  if (
    r.status === 'REGISTERED' &&
    isId(r.personalId) &&
    (r.permanentAddress === null || isText(r.permanentAddress))
  )
    return { personalId: r.personalId, permanentAddress: r.permanentAddress };
  return refusalOf(r);
};

const deathOutcome = (r: unknown): DeathOutcome | undefined => {
  if (!isObject(r)) return undefined;
  if (r.status === 'RECORDED' && isDate(r.residenceRemovedOn))
    return { residenceRemovedOn: r.residenceRemovedOn };
  return refusalOf(r);
};

const citizen = (r: unknown): RegisteredCitizen | undefined => {
  if (!isObject(r)) return undefined;
  const ok =
    isId(r.personalId) &&
    isText(r.fullName) &&
    (r.sex === 'MALE' || r.sex === 'FEMALE') &&
    isDate(r.dateOfBirth) &&
    (r.permanentAddress === null || isText(r.permanentAddress)) &&
    (r.status === 'ALIVE' || r.status === 'DECEASED') &&
    (r.dateOfDeath === null || isDate(r.dateOfDeath)) &&
    (r.residenceRemovedOn === null || isDate(r.residenceRemovedOn));
  return ok ? (r as unknown as RegisteredCitizen) : undefined;
};

/**
 * The population registry as a client of the national population API
 * (`apps/population-adapter/contract/national-population-api.yaml`).
 *
 * - Each request has a timeout; a timeout, a refused connection, 408, 429, a 5xx or an answer
 *   that is not what the contract says is **transient**: retried with exponential backoff
 *   and jitter (at least what `Retry-After` asks), then thrown as `RegistryUnavailableError`,
 *   which the consumer retries and finally settles as FAILED.
 * - Any other 4xx is **permanent** for the whole batch (`POPULATION.REGISTRY_REQUEST_REFUSED`):
 *   the request itself is wrong, and retrying will not change it.
 * - A record the register refuses is a **coded refusal** of that record alone.
 * - A circuit breaker stops calling after repeated failures and fails fast while open.
 *
 * Retrying a write is safe: the API is idempotent by birth and death registration id.
 */
export class HttpPopulationRegistry implements PopulationRegistry {
  readonly kind = 'http';
  private readonly breaker: CircuitBreaker;
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly circuitOpen: Gauge;

  constructor(
    private readonly settings: HttpRegistrySettings,
    metrics: Metrics,
    private readonly logger: Logger,
  ) {
    this.breaker = new CircuitBreaker(settings.breakerFailures, settings.breakerOpenMs);
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
      birthRegistrationId: n.birthRegistrationId,
      fullName: n.fullName,
      sex: n.sex,
      dateOfBirth: n.dateOfBirth,
      // The API takes the 3-digit code that starts a personal ID ('0' + the 2-digit code).
      provinceCode: provinceByCode(n.provinceCode)?.idPrefix ?? n.provinceCode,
      ...(n.motherId ? { motherId: n.motherId } : {}),
      ...(n.fatherId ? { fatherId: n.fatherId } : {}),
    }));
    return this.batched('newborns', items, newbornOutcome);
  }

  async recordDeaths(deaths: DeathNotice[]): Promise<DeathOutcome[]> {
    const items = deaths.map((d) => ({
      deathRegistrationId: d.deathRegistrationId,
      personalId: d.personalId,
      fullName: d.fullName,
      dateOfBirth: d.dateOfBirth,
      dateOfDeath: d.dateOfDeath,
    }));
    return this.batched('deaths', items, deathOutcome);
  }

  async lookUp(personalId: string): Promise<RegisteredCitizen | undefined> {
    const answer = await this.call(
      'citizens',
      'GET',
      `/v1/citizens/${personalId}`,
      undefined,
      (s, body) => (s === 404 ? null : citizen(body)),
    );
    return answer ?? undefined;
  }

  /** Sends the items in chunks the contract allows; the results, checked, in their order. */
  private async batched<I, R>(
    operation: string,
    items: I[],
    read: (r: unknown) => R | undefined,
  ): Promise<R[]> {
    const out: R[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK);
      out.push(
        ...(await this.call(operation, 'POST', `/v1/${operation}`, { items: chunk }, (_, body) => {
          const results = isObject(body) ? body.results : undefined;
          if (!Array.isArray(results) || results.length !== chunk.length) return undefined;
          const answers: R[] = [];
          for (const r of results) {
            const answer = read(r);
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
        throw new RegistryUnavailableError(
          `population registry: circuit open after repeated failures (${last?.message ?? 'earlier calls'}); next trial in ${this.breaker.retryInMs} ms`,
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
          // The register answered: it is up, the request is what is wrong.
          this.breaker.succeeded();
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
        if (attempt < this.settings.retries && this.breaker.state === 'closed') {
          const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
          const wait = Math.max(failure.retryAfterMs, backoff / 2 + Math.random() * (backoff / 2));
          this.logger.warn(
            { operation, attempt: attempt + 1, retryInMs: Math.round(wait), err: failure.message },
            'population registry request failed; retrying',
          );
          await sleep(Math.min(wait, BACKOFF_CAP_MS));
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
      res = await fetch(new URL(path, this.settings.url), {
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
      throw new CallFailure(
        true,
        timedOut
          ? `no answer within ${this.settings.timeoutMs} ms`
          : `cannot reach ${this.settings.url} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : String(e)})`,
      );
    }
    const status = res.status;
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new CallFailure(
        true,
        `HTTP ${status}${summary(text)}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0,
      );
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if ((status >= 200 && status < 300) || (status === 404 && method === 'GET')) {
      const result = read(status, parsed);
      if (result === undefined)
        throw new CallFailure(
          true,
          `HTTP ${status} with an answer the contract does not allow${summary(text)}`,
        );
      return result;
    }
    throw new CallFailure(false, `HTTP ${status}${summary(text)}`);
  }
}

/**
 * The start of an answer, for a message that ends up in a receipt: at most 200 characters,
 * on one line, with anything shaped like a personal ID masked.
 */
function summary(text: string): string {
  const s = text
    .replace(/\d{12}/g, '[id]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return s ? `: ${s}` : '';
}
