import { settleWithin } from './settle-within';

describe('settleWithin', () => {
  it('says done when the work finishes in time', async () => {
    await expect(settleWithin(Promise.resolve(1), 1000)).resolves.toBe('done');
  });

  it('says failed, without throwing, when the work fails in time', async () => {
    await expect(settleWithin(Promise.reject(new Error('broker gone')), 1000)).resolves.toBe(
      'failed',
    );
  });

  it('gives up on work that never ends, after the time given', async () => {
    const t0 = Date.now();
    const outcome = await settleWithin(new Promise(() => undefined), 50);
    expect(outcome).toBe('timed-out');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('has nothing to wait for when there is no work', async () => {
    await expect(settleWithin(undefined, 10)).resolves.toBe('done');
  });
});
