import { leaseKey, leaseTiming } from './leader-lease';

describe('leaseKey', () => {
  it('is the same for a task every time, and differs between the hub’s tasks', () => {
    const tasks = ['sealing', 'delivery-deadlines', 'log-partitions', 'retention'];
    expect(leaseKey('sealing')).toEqual(leaseKey('sealing'));
    expect(new Set(tasks.map((t) => leaseKey(t).join('/'))).size).toBe(tasks.length);
  });

  it('is two 32-bit integers, as pg_try_advisory_lock(int, int) takes', () => {
    for (const part of leaseKey('sealing')) {
      expect(Number.isInteger(part)).toBe(true);
      expect(part).toBeGreaterThanOrEqual(-(2 ** 31));
      expect(part).toBeLessThan(2 ** 31);
    }
  });
});

describe('leaseTiming', () => {
  it.each([0.1, 0.5, 2, 10])(
    'with a round of %s s, lets a cut-off leader give up before the server frees its lock',
    (retrySeconds) => {
      const t = leaseTiming(retrySeconds);
      // The leader notices a silent connection at worst one round plus one check after it
      // went silent; the server ends that session only after idleSessionTimeoutMs.
      expect(t.retryMs + t.checkTimeoutMs).toBeLessThan(t.idleSessionTimeoutMs);
      expect(t.retryMs).toBe(Math.round(retrySeconds * 1000));
    },
  );
});
