import type { Metrics } from '@lgsp/observability';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import type { ServiceConfig } from './config';
import { correlationMiddleware } from './http-errors';
import { rateLimiter, type RateLimitRule } from './rate-limit';

/** A JSON API's policy: nothing may be loaded, framed or submitted from its answers. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The OpenAPI page at /docs loads its own scripts and styles (and sets a few inline styles). */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** What a service adds to the doors every service has. */
export interface HttpDoorOptions {
  /** Limits on particular endpoints, besides the service-wide one (RATE_LIMIT_*). */
  rateLimits?: RateLimitRule[];
  /** Content-Security-Policy by path prefix (e.g. `/console`), instead of the JSON API's. */
  contentSecurityPolicies?: Record<string, string>;
  /**
   * Static web applications by path prefix (e.g. `/console` → its build folder): files as
   * they are, and `index.html` for any other GET under the prefix (client-side routes).
   */
  staticSites?: Record<string, string>;
}

/**
 * Headers on every answer, errors included: no MIME sniffing, no referrer, no framing, and
 * the Content-Security-Policy of the longest matching path prefix (a JSON API's elsewhere).
 * A handler may still set its own Content-Security-Policy; it replaces this one.
 */
export function securityHeaders(policies: Record<string, string> = {}): RequestHandler {
  const byPrefix = Object.entries({ '/docs': DOCS_CONTENT_SECURITY_POLICY, ...policies }).sort(
    ([a], [b]) => b.length - a.length,
  );
  const policyFor = (path: string) =>
    byPrefix.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))?.[1] ??
    API_CONTENT_SECURITY_POLICY;
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('content-security-policy', policyFor(req.path));
    next();
  };
}

/** What the JSON parser reads, as before the doors had per-endpoint limits: `application/json`. */
const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

/** Batch endpoints (`…/batch`) take up to 1000 records in one body; the others one record. */
export function isBatchPath(path: string): boolean {
  return path.endsWith('/batch');
}

/**
 * The doors of every service, in the order a request meets them: security headers and a
 * correlation id (so that even a refusal carries both), the rate limits (before the body is
 * read), then the JSON body parser with the endpoint's size limit (413 REQUEST.BODY_TOO_LARGE
 * beyond it, refused from Content-Length before reading when the client declares it).
 */
export function openHttpDoors(
  app: NestExpressApplication,
  config: ServiceConfig,
  options: HttpDoorOptions,
  deps: { logger: Logger; metrics: Metrics },
): void {
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) app.set('trust proxy', trustProxy(config.TRUST_PROXY));
  app.use(securityHeaders(options.contentSecurityPolicies));
  app.use(correlationMiddleware);
  const serviceWide: RateLimitRule = {
    name: 'service',
    perSecond: config.RATE_LIMIT_PER_SECOND,
    burst: config.RATE_LIMIT_BURST,
  };
  app.use(rateLimiter([serviceWide, ...(options.rateLimits ?? [])], deps.logger, deps.metrics));
  const isJson = (req: IncomingMessage) => JSON_TYPE.test(req.headers['content-type'] ?? '');
  const batch = (req: IncomingMessage) => isBatchPath((req as Request).path);
  for (const [prefix, folder] of Object.entries(options.staticSites ?? {}))
    serveStaticSite(app, prefix, folder);
  app.useBodyParser('json', {
    limit: config.BODY_LIMIT_BYTES,
    type: (req: IncomingMessage) => isJson(req) && !batch(req),
  });
  app.useBodyParser('json', {
    limit: config.BATCH_BODY_LIMIT_BYTES,
    type: (req: IncomingMessage) => isJson(req) && batch(req),
  });
}

/**
 * A built single-page application: its hashed assets cached for good, its `index.html` never
 * (so a new build is picked up at once), and `index.html` for client-side routes.
 */
function serveStaticSite(app: NestExpressApplication, prefix: string, folder: string): void {
  const index = join(folder, 'index.html');
  app.useStaticAssets(folder, {
    prefix,
    index: 'index.html',
    setHeaders: (res: Response, file: string) =>
      res.setHeader(
        'cache-control',
        file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      ),
  });
  app.use(prefix, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (extname(req.path) !== '' || !existsSync(index)) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}

/** Express's `trust proxy`: true, a number of hops, or addresses and subnets of the proxies. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
