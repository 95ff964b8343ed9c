import { percentile, resolution } from './stats';

describe('latency percentiles from a histogram', () => {
  // Buckets: ≤10, ≤25, ≤50, ≤100, … ms
  it('gives the bound of the bucket that holds the quantile', () => {
    const h = [50, 30, 15, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(percentile(h, 0.5)).toBe(10);
    expect(percentile(h, 0.8)).toBe(25);
    expect(percentile(h, 0.95)).toBe(50);
    expect(percentile(h, 0.99)).toBe(100);
  });

  it('is null with no data, or when the quantile is past the last bound', () => {
    expect(percentile(Array<number>(14).fill(0), 0.5)).toBeNull();
    expect(percentile([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], 0.5)).toBeNull();
  });
});

describe('the roll-up resolution of a window', () => {
  const H = 3_600_000;
  it('reads minutes below six hours, hours below a week, days beyond', () => {
    expect(resolution(H)).toBe('minute');
    expect(resolution(6 * H)).toBe('hour');
    expect(resolution(24 * H)).toBe('hour');
    expect(resolution(7 * 24 * H)).toBe('day');
    expect(resolution(365 * 24 * H)).toBe('day');
  });

  it('is never coarser than the series step', () => {
    expect(resolution(365 * 24 * H, 'hour')).toBe('hour');
    expect(resolution(24 * H, 'minute')).toBe('minute');
    expect(resolution(365 * 24 * H, 'month')).toBe('day');
  });
});
