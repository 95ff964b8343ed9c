import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('lets a burst through, then refuses and says when the next token comes', () => {
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, clock);
    expect([1, 2, 3].map(() => buckets.take('a').allowed)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterMs: 500, first: true });
    now += 250;
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterMs: 250, first: false });
    now += 250;
    expect(buckets.take('a').allowed).toBe(true);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, clock);
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    expect(buckets.take('b').allowed).toBe(true);
  });

  it('refills at the sustained rate and never beyond the burst', () => {
    const buckets = new TokenBuckets({ perSecond: 10, burst: 5 }, clock);
    for (let i = 0; i < 5; i++) buckets.take('a');
    now += 60_000;
    const allowed = Array.from({ length: 7 }, () => buckets.take('a').allowed);
    expect(allowed).toEqual([true, true, true, true, true, false, false]);
  });

  it('marks only the first refusal of an episode, so that it is logged once', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, clock);
    buckets.take('a');
    const firsts = [buckets.take('a'), buckets.take('a')].map((t) => !t.allowed && t.first);
    expect(firsts).toEqual([true, false]);
    now += 1000;
    expect(buckets.take('a').allowed).toBe(true);
    const again = buckets.take('a');
    expect(!again.allowed && again.first).toBe(true);
  });

  it('is off when the rate is 0', () => {
    const buckets = new TokenBuckets({ perSecond: 0, burst: 0 }, clock);
    expect(Array.from({ length: 100 }, () => buckets.take('a').allowed)).not.toContain(false);
  });

  it('holds at most maxKeys, dropping full buckets first and keeping a busy one', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 2 }, clock, 3);
    buckets.take('busy');
    buckets.take('busy');
    buckets.take('idle-1');
    buckets.take('idle-2');
    now += 1000; // idle ones are full again; busy has one of two
    buckets.take('new');
    expect(buckets.size).toBeLessThanOrEqual(3);
    expect(buckets.take('busy').allowed).toBe(true);
    expect(buckets.take('busy').allowed).toBe(false);
  });
});
