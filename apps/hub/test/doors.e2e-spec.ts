import { hubService } from '@apps/hub';
import { VALID_EXAMPLES } from '@lgsp/contracts';
import { http, TEST_ADMIN_KEY, TestStack } from '@lgsp/testing';

type Answer = { code?: string; message?: string; correlationId?: string };

/**
 * The hub's HTTP doors under abuse: rate limits per credential (and per address for
 * made-up keys), the audit export's own limit, body sizes and security headers. The limits
 * are set low here; their defaults are generous.
 */
describe('hub: doors that hold under abuse', () => {
  let stack: TestStack;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const admin = { 'x-api-key': TEST_ADMIN_KEY };
  const ownership = VALID_EXAMPLES['land.ownership-registered.v1'];
  const keys: Record<string, string> = {};
  const issue = async (name: string, body: object) => {
    const res = await http<{ apiKey: string }>('POST', hub('/credentials'), body, admin);
    expect(res.status).toBe(201);
    keys[name] = res.body.apiKey;
  };
  const publish = (key: string, body: unknown = ownership) =>
    http<Answer>('POST', hub('/events/land.ownership-registered.v1'), body, { 'x-api-key': key });

  beforeAll(async () => {
    stack = await TestStack.start([hubService], {
      suffix: '_doors',
      env: {
        RATE_LIMIT_PER_SECOND: '5',
        RATE_LIMIT_BURST: '10',
        AUDIT_EXPORT_RATE_PER_MINUTE: '1',
        AUDIT_EXPORT_BURST: '1',
        HUB_AUTH_FAILURES_PER_MINUTE: '3',
        BODY_LIMIT_BYTES: '4096',
        CONSOLE_CONTENT_SECURITY_POLICY: "default-src 'self'; frame-ancestors 'self'",
        // The tests call from loopback; X-Forwarded-For stands for clients behind a proxy.
        TRUST_PROXY: 'loopback',
      },
    });
    await issue('flooding', { role: 'SYSTEM', system: 'land' });
    await issue('quiet', { role: 'SYSTEM', system: 'land' });
    await issue('sizes', { role: 'SYSTEM', system: 'land' });
    await issue('auditor', { role: 'AUDITOR' });
  });

  afterAll(() => stack.close());

  it('throttles a publishing credential past its burst with 429 and Retry-After, and not the others', async () => {
    const t0 = Date.now();
    const answers = await Promise.all(Array.from({ length: 25 }, () => publish(keys.flooding)));
    const seconds = (Date.now() - t0) / 1000;
    const refused = answers.filter((a) => a.status === 429);
    const accepted = answers.filter((a) => a.status === 202);
    // The burst of 10, and what 5 per second refilled while the requests came in.
    expect(accepted.length).toBeGreaterThanOrEqual(10);
    expect(accepted.length).toBeLessThanOrEqual(10 + Math.ceil(5 * seconds));
    expect(refused.length + accepted.length).toBe(25);
    const [first] = refused;
    expect(first.body.code).toBe('REQUEST.RATE_LIMITED');
    expect(first.body.message).toContain('try again in');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(first.headers.get('x-correlation-id')).toBe(first.body.correlationId);
    expect((await publish(keys.quiet)).status).toBe(202);
  });

  it('holds the audit export to its own, lower limit', async () => {
    const auditor = { 'x-api-key': keys.auditor };
    const first = await fetch(hub('/audit/export?format=ndjson'), { headers: auditor });
    await first.text();
    expect(first.status).toBe(200);
    const second = await http<Answer>(
      'GET',
      hub('/audit/export?format=ndjson'),
      undefined,
      auditor,
    );
    expect([second.status, second.body.code]).toEqual([429, 'REQUEST.RATE_LIMITED']);
    expect(second.body.message).toContain('audit-export');
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(30);
    // The rest of the audit API still answers the same credential.
    expect((await http('GET', hub('/audit/queries'), undefined, auditor)).status).toBe(200);
  });

  it('holds back an address that keeps making up keys, each of which has a bucket of its own', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await publish(`lgsp_land_made-up-${i}`)).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const refused = await publish('lgsp_land_made-up-again');
    expect(refused.body.code).toBe('REQUEST.RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another client, behind the proxy the hub trusts, has failures of its own to make.
    const elsewhere = await http<Answer>(
      'POST',
      hub('/events/land.ownership-registered.v1'),
      ownership,
      { 'x-api-key': 'lgsp_land_made-up-elsewhere', 'x-forwarded-for': '203.0.113.9' },
    );
    expect([elsewhere.status, elsewhere.body.code]).toEqual([401, 'HUB.INVALID_CREDENTIAL']);
  });

  it('refuses a body over the limit of a one-record endpoint, but not of a batch endpoint', async () => {
    const big = { ...ownership, padding: 'x'.repeat(8000) };
    const refused = await publish(keys.sizes, big);
    expect([refused.status, refused.body.code]).toEqual([413, 'REQUEST.BODY_TOO_LARGE']);
    expect(refused.body.correlationId).toEqual(expect.any(String));
    const items = Array.from({ length: 30 }, () => ({ data: ownership }));
    expect(JSON.stringify({ items }).length).toBeGreaterThan(4096);
    const batch = await http<{ results: { status: string }[] }>(
      'POST',
      hub('/events/land.ownership-registered.v1/batch'),
      { items },
      { 'x-api-key': keys.sizes },
    );
    expect(batch.status).toBe(200);
    expect(batch.body.results.every((r) => r.status === 'ACCEPTED')).toBe(true);
  });

  it('sends security headers on every answer, errors included, and no X-Powered-By', async () => {
    for (const path of ['/catalogue/systems', '/no/such/path', '/transactions']) {
      const res = await fetch(hub(path));
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.has('x-powered-by')).toBe(false);
    }
  });

  it('gives /console the policy configured for it, and /docs one its page can run under', async () => {
    const console = await fetch(hub('/console/index.html'));
    expect(console.headers.get('content-security-policy')).toBe(
      "default-src 'self'; frame-ancestors 'self'",
    );
    const docs = await fetch(hub('/docs'));
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
