import { civilStatusService } from '@apps/civil-status';
import { insuranceService } from '@apps/insurance';
import { landService } from '@apps/land';
import { populationService } from '@apps/population-adapter';
import type { ServiceDefinition } from '@lgsp/platform';
import { http, TestStack } from '@lgsp/testing';

/**
 * Every sectoral service has the platform's doors: a rate limit per client address for
 * calls without a credential (set low here: bursts of 2, 1 per second), body limits, and
 * security headers on every answer.
 */
const services = [
  [civilStatusService, '/births'],
  [landService, '/parcels'],
  [insuranceService, '/cards'],
  [populationService, '/citizens'],
] as [ServiceDefinition, string][];

describe('sectoral services: doors that hold under abuse', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start(
      services.map(([def]) => def),
      {
        suffix: '_doors',
        env: { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '2', BODY_LIMIT_BYTES: '4096' },
      },
    );
  });

  afterAll(() => stack.close());

  it.each(services.map(([def, path]) => [def.name, path]))(
    '%s answers 429 with Retry-After past the burst of an address, with its headers',
    async (name, path) => {
      const url = `${stack.url(name)}${path}`;
      // Sent at once: the burst (2) passes, plus one a second for as long as they took to
      // arrive (more than none only on a machine busy enough to stall them), the rest are refused.
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => http<{ code: string }>('GET', url)),
      );
      const refills = Math.floor((Date.now() - started) / 1000);
      const passed = answers.filter((a) => a.status === 200).length;
      expect(passed).toBeGreaterThanOrEqual(2);
      expect(passed).toBeLessThanOrEqual(2 + refills);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(8 - passed);
      const refused = answers.find((a) => a.status === 429)!;
      expect(refused.body.code).toBe('REQUEST.RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      for (const { headers } of answers) {
        expect(headers.get('x-content-type-options')).toBe('nosniff');
        expect(headers.get('content-security-policy')).toContain("default-src 'none'");
        expect(headers.get('x-frame-options')).toBe('DENY');
        expect(headers.get('referrer-policy')).toBe('no-referrer');
        expect(headers.has('x-powered-by')).toBe(false);
      }
    },
  );

  it('civil-status refuses an oversized one-record body with 413, and reads a batch that size', async () => {
    // A credential of its own (the key is only a bucket name here), so the limits above do not interfere.
    const key = { 'x-api-key': 'bucket-of-the-size-test' };
    const padding = 'x'.repeat(6000);
    const one = await http<{ code: string }>(
      'POST',
      `${stack.url('civil-status')}/births`,
      { padding },
      key,
    );
    expect([one.status, one.body.code]).toEqual([413, 'REQUEST.BODY_TOO_LARGE']);
    const batch = await http<{ code: string }>(
      'POST',
      `${stack.url('civil-status')}/births/batch`,
      { items: [], padding },
      key,
    );
    // Read and validated (the wrapper is refused for its unknown field), not refused for its size.
    expect([batch.status, batch.body.code]).toEqual([400, 'REQUEST.VALIDATION_FAILED']);
  });
});
