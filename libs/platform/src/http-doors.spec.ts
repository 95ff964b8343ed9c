import { Metrics } from '@lgsp/observability';
import type { NextFunction, Request, Response } from 'express';
import pino from 'pino';
import {
  API_CONTENT_SECURITY_POLICY,
  DOCS_CONTENT_SECURITY_POLICY,
  isBatchPath,
  securityHeaders,
} from './http-doors';
import { rateLimiter } from './rate-limit';

interface FakeResponse {
  headers: Record<string, string>;
  status?: number;
  body?: Record<string, unknown>;
}

function request(path: string, headers: Record<string, string> = {}, ip = '10.0.0.1'): Request {
  return {
    path,
    method: 'POST',
    ip,
    socket: {},
    correlationId: 'c-1',
    header: (name: string) => headers[name.toLowerCase()],
  } as unknown as Request;
}

function response(): { res: Response; seen: FakeResponse } {
  const seen: FakeResponse = { headers: {} };
  const res = {
    setHeader: (k: string, v: string) => (seen.headers[k.toLowerCase()] = v),
    status: (s: number) => {
      seen.status = s;
      return res;
    },
    json: (b: Record<string, unknown>) => (seen.body = b),
  };
  return { res: res as unknown as Response, seen };
}

function run(mw: (req: Request, res: Response, next: NextFunction) => void, req: Request) {
  const { res, seen } = response();
  let passed = false;
  mw(req, res, () => (passed = true));
  return { passed, ...seen };
}

describe('security headers', () => {
  const mw = securityHeaders({ '/console': "default-src 'self'" });

  it('forbid sniffing, referrers and framing, with a JSON API policy', () => {
    const { passed, headers } = run(mw, request('/births/0190'));
    expect(passed).toBe(true);
    expect(headers).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': API_CONTENT_SECURITY_POLICY,
    });
    expect(API_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(API_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('give a path prefix its own policy, and only that prefix', () => {
    expect(run(mw, request('/console')).headers['content-security-policy']).toBe(
      "default-src 'self'",
    );
    expect(run(mw, request('/console/assets/app.js')).headers['content-security-policy']).toBe(
      "default-src 'self'",
    );
    expect(run(mw, request('/consoles')).headers['content-security-policy']).toBe(
      API_CONTENT_SECURITY_POLICY,
    );
    expect(run(mw, request('/docs/swagger-ui.css')).headers['content-security-policy']).toBe(
      DOCS_CONTENT_SECURITY_POLICY,
    );
  });
});

describe('the rate limiter', () => {
  const limiter = (logger = pino({ level: 'silent' })) =>
    rateLimiter(
      [
        { name: 'service', perSecond: 1, burst: 2 },
        { name: 'audit-export', method: 'POST', path: '/audit/export', perSecond: 1, burst: 1 },
      ],
      logger,
      new Metrics('test'),
    );

  it('answers 429 with Retry-After and a stable code past the burst of a client', () => {
    const mw = limiter();
    expect(run(mw, request('/births')).passed).toBe(true);
    expect(run(mw, request('/births')).passed).toBe(true);
    const refused = run(mw, request('/births'));
    expect(refused.passed).toBe(false);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ code: 'REQUEST.RATE_LIMITED', correlationId: 'c-1' });
  });

  it('counts a credential apart from its address, and addresses apart', () => {
    const mw = limiter();
    for (let i = 0; i < 2; i++) run(mw, request('/births'));
    expect(run(mw, request('/births')).passed).toBe(false);
    expect(run(mw, request('/births', { 'x-api-key': 'k1' })).passed).toBe(true);
    expect(run(mw, request('/births', { authorization: 'Bearer k2' })).passed).toBe(true);
    expect(run(mw, request('/births', {}, '10.0.0.2')).passed).toBe(true);
  });

  it("holds an endpoint to its own limit without using up the service's", () => {
    const mw = limiter();
    expect(run(mw, request('/audit/export')).passed).toBe(true);
    const refused = run(mw, request('/audit/export'));
    expect(refused.status).toBe(429);
    expect(String(refused.body?.message)).toContain('audit-export');
    expect(run(mw, request('/births')).passed).toBe(true);
  });

  it('logs the start of an episode once, without the key or the address', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => lines.push(l) });
    const mw = limiter(logger);
    const key = { 'x-api-key': 'lgsp_land_secret-key' };
    for (let i = 0; i < 5; i++) run(mw, request('/events/x', key, '192.168.7.9'));
    for (let i = 0; i < 3; i++) run(mw, request('/births', {}, '192.168.7.9'));
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('secret-key');
    expect(lines.join('')).not.toContain('192.168.7.9');
    expect(JSON.parse(lines[0])).toMatchObject({ limit: 'service', clientKind: 'credential' });
  });
});

describe('batch endpoints', () => {
  it('are those whose path ends in /batch', () => {
    expect(isBatchPath('/births/batch')).toBe(true);
    expect(isBatchPath('/events/land.ownership-registered.v1/batch')).toBe(true);
    expect(isBatchPath('/births')).toBe(false);
    expect(isBatchPath('/batches')).toBe(false);
  });
});
