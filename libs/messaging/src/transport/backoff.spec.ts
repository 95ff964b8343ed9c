import fc from 'fast-check';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('stays within [ceiling/2, ceiling] and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const ceiling = Math.min(10_000, 200 * 2 ** (n - 1));
          const d = backoffDelay(n, () => r);
          return d >= Math.floor(ceiling / 2) && d <= ceiling;
        },
      ),
    );
  });

  it('grows with the attempt number until the cap', () => {
    expect(backoffDelay(1, () => 1)).toBe(200);
    expect(backoffDelay(3, () => 1)).toBe(800);
    expect(backoffDelay(30, () => 1)).toBe(10_000);
  });
});
