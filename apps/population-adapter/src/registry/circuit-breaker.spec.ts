import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () => new CircuitBreaker(3, 1000, () => now);
  beforeEach(() => (now = 0));

  it('opens after the set number of failures in a row, not before', () => {
    const b = breaker();
    b.failed();
    b.failed();
    expect([b.state, b.allows()]).toEqual(['closed', true]);
    b.failed();
    expect([b.state, b.allows(), b.retryInMs]).toEqual(['open', false, 1000]);
  });

  it('forgets failures on a success', () => {
    const b = breaker();
    b.failed();
    b.failed();
    b.succeeded();
    b.failed();
    b.failed();
    expect(b.state).toBe('closed');
  });

  it('lets one trial through when the open time is over: success closes, failure reopens', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.failed();
    now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.allows()).toBe(true);
    expect(b.allows()).toBe(false); // one trial at a time
    b.failed();
    expect([b.state, b.retryInMs]).toEqual(['open', 1000]);
    now = 2000;
    expect(b.allows()).toBe(true);
    b.succeeded();
    expect([b.state, b.allows(), b.allows()]).toEqual(['closed', true, true]);
  });
});
