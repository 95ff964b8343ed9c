import { resolution } from './stats';

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
