import type { Metrics } from '@lgsp/observability';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { RateLimitedError, type RequestWithCorrelation, sendApiError } from './http-errors';
import { type RateLimit, TokenBuckets } from './token-buckets';

/** A limit on some requests: every request (the service-wide limit) or one endpoint's. */
export interface RateLimitRule extends RateLimit {
  /** Names the limit in the answer, the log and the metric. */
  name: string;
  /** The endpoint it counts (exact path, and method when given); none: every request. */
  path?: string;
  method?: string;
}

/** The API key of a request: `X-Api-Key: <key>` or `Authorization: Bearer <key>`. */
export function apiKeyOf(req: Request): string | undefined {
  const header = req.header('x-api-key');
  if (header) return header;
  const auth = req.header('authorization');
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
}

interface Client {
  kind: 'credential' | 'address';
  /** Its bucket's key. */
  key: string;
  /** How the log names it: never the key itself nor the address in clear. */
  tag: string;
}

/**
 * Counts each request against every rule that applies to it, per credential (the SHA-256 of
 * the key the request carries) or, without one, per client address. Over a limit it answers
 * 429 with `Retry-After` and the stable code REQUEST.RATE_LIMITED, before the body is read.
 * The start of each throttling episode of a client is logged once (the count of every 429
 * is in `lgsp_http_throttled_total`); the log names a credential by the first characters of
 * its key's SHA-256 (as stored by the hub) and an address only by a hash keyed per process.
 */
export function rateLimiter(
  rules: RateLimitRule[],
  logger: Logger,
  metrics: Metrics,
): RequestHandler {
  // Specific rules first: a request they refuse does not use up the service-wide allowance.
  const limits = rules
    .filter((r) => r.perSecond > 0)
    .sort((a, b) => Number(!!b.path) - Number(!!a.path))
    .map((rule) => ({ rule, buckets: new TokenBuckets(rule) }));
  const throttled = metrics.counter({
    name: 'lgsp_http_throttled_total',
    help: 'HTTP requests refused with 429, by limit',
    labelNames: ['limit'],
  });
  const addressTagKey = randomBytes(16);
  return (req: Request, res: Response, next: NextFunction) => {
    let client: Client | undefined;
    for (const { rule, buckets } of limits) {
      if (rule.path !== undefined && req.path !== rule.path) continue;
      if (rule.method !== undefined && req.method !== rule.method) continue;
      const who = (client ??= clientOf(req, addressTagKey));
      const taken = buckets.take(who.key);
      if (taken.allowed) continue;
      const refusal = new RateLimitedError(
        taken.retryAfterMs,
        (s) => `Too many requests from this ${who.kind} (limit ${rule.name}); try again in ${s} s.`,
      );
      throttled.inc({ limit: rule.name });
      if (taken.first) {
        logger.warn(
          {
            limit: rule.name,
            clientKind: who.kind,
            client: who.tag,
            method: req.method,
            area: req.path.split('/', 2).join('/'),
            retryAfterSeconds: refusal.retryAfterSeconds,
            correlationId: (req as RequestWithCorrelation).correlationId,
          },
          'rate limit reached; answering 429',
        );
      }
      sendApiError(req, res, refusal);
      return;
    }
    next();
  };
}

function clientOf(req: Request, addressTagKey: Buffer): Client {
  const apiKey = apiKeyOf(req);
  if (apiKey) {
    const hash = createHash('sha256').update(apiKey, 'utf8').digest('hex');
    return { kind: 'credential', key: `credential:${hash}`, tag: hash.slice(0, 12) };
  }
  const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const tag = createHmac('sha256', addressTagKey).update(address).digest('hex').slice(0, 12);
  return { kind: 'address', key: `address:${address}`, tag };
}
