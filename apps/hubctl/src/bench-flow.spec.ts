import fc from 'fast-check';
import { isLoopback } from './bench-flow-options';
import { BackendSightings, cpuSecondsBetween, parseProcStat } from './bench-flow-processes';
import {
  dueNow,
  halfLoadRate,
  percentile,
  perSecond,
  steadyMiddle,
  summariseRates,
} from './bench-flow-stats';

describe('percentile', () => {
  it('interpolates between ranks as percentile_cont does', () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([10, 20, 30, 40], 0.99)).toBeCloseTo(39.7);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('never exceeds the maximum nor falls below the minimum, and grows with p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p, q) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const [lo, hi] = [Math.min(p, q), Math.max(p, q)];
          const a = percentile(sorted, lo)!;
          const b = percentile(sorted, hi)!;
          return a >= sorted[0] && b <= sorted[sorted.length - 1] && a <= b;
        },
      ),
    );
  });
});

describe('perSecond', () => {
  it('counts each time in its whole second of the window and leaves out the rest', () => {
    expect(perSecond([1000, 1999, 2000, 3500, 999, 4000], 1000, 4000)).toEqual([2, 1, 1]);
  });

  it('keeps a last, partial second so that the counts add up', () => {
    expect(perSecond([0, 2100], 0, 2200)).toEqual([1, 0, 1]);
  });
});

describe('steadyMiddle and summariseRates', () => {
  it('leave out the first quarter and the last tenth of the window', () => {
    const counts = [1, 2, 3, ...new Array<number>(8).fill(100), 5];
    expect(steadyMiddle(counts)).toEqual(new Array<number>(8).fill(100));
    expect(summariseRates(steadyMiddle(counts))).toEqual({
      mean: 100,
      median: 100,
      min: 100,
      max: 100,
      seconds: 8,
    });
  });

  it('keep a series too short to trim', () => {
    expect(steadyMiddle([4])).toEqual([4]);
    expect(summariseRates([])).toBeNull();
  });
});

describe('dueNow (the paced schedule)', () => {
  it('sends what the fixed schedule says is due, catching up after a late tick', () => {
    expect(dueNow(100, 100, 0)).toBe(10);
    expect(dueNow(100, 200, 10)).toBe(10);
    expect(dueNow(100, 500, 20)).toBe(30);
    expect(dueNow(100, 500, 60)).toBe(0);
  });

  it('never gets ahead of the schedule, whatever the ticks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 200 }),
        (rate, gaps) => {
          let [t, sent] = [0, 0];
          for (const g of gaps) {
            t += g;
            sent += dueNow(rate, t, sent);
            if (sent > (rate * t) / 1000) return false;
          }
          return sent === Math.floor((rate * t) / 1000);
        },
      ),
    );
  });
});

describe('halfLoadRate', () => {
  it('is half the logged transactions per second, over the transactions one record opens', () => {
    expect(halfLoadRate(4000, 3)).toBe(667);
    expect(halfLoadRate(2, 3)).toBe(1);
    expect(halfLoadRate(0, 3)).toBe(0);
  });
});

describe('parseProcStat', () => {
  it('reads the CPU ticks after a command name that holds spaces and parentheses', () => {
    const line =
      '4242 (node (x) y) S 17 4242 4242 0 -1 4194304 100 0 0 0 1954 292 7 3 20 0 11 0 14079 0 0';
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'node (x) y',
      ppid: 17,
      own: 1954 + 292,
      children: 7 + 3,
    });
  });
});

describe('cpuSecondsBetween', () => {
  it('counts a backend that ended during the phase only for what it used during it', () => {
    const server = 'postgres (server process)';
    const before = new Map([
      [1, { label: server, own: 10, reaped: 1000 }],
      [2, { label: 'postgres: lgsp_hub', own: 500 }],
      [3, { label: 'hub', own: 200 }],
    ]);
    // Backend 2 ended at 650 ticks: the server reaped all of them.
    const after = new Map([
      [1, { label: server, own: 12, reaped: 1650 }],
      [3, { label: 'hub', own: 450 }],
      [4, { label: 'postgres: lgsp_hub', own: 100 }],
    ]);
    expect(cpuSecondsBetween(before, after, 100)).toEqual({
      [server]: 0.02,
      'postgres: backends that ended during the phase, after they were last seen': 1.5,
      hub: 2.5,
      'postgres: lgsp_hub': 1,
    });
  });

  it('counts a backend that ended for its database up to when it was last seen', () => {
    const server = 'postgres (server process)';
    const before = new Map([
      [1, { label: server, own: 10, reaped: 1000 }],
      [2, { label: 'postgres: lgsp_hub', own: 500 }],
    ]);
    // Backend 2 seen at 600 ticks, ended at 650; backend 5 born, seen at 300, ended at 320.
    const sightings = new BackendSightings();
    sightings.see(
      new Map([
        [2, { label: 'postgres: lgsp_hub', own: 600 }],
        [5, { label: 'postgres: lgsp_insurance', own: 300 }],
      ]),
    );
    const after = new Map([[1, { label: server, own: 10, reaped: 1000 + 650 + 320 }]]);
    expect(cpuSecondsBetween(before, after, 100, sightings)).toEqual({
      [server]: 0,
      'postgres: lgsp_hub': 1,
      'postgres: lgsp_insurance': 3,
      'postgres: backends that ended during the phase, after they were last seen': 0.7,
    });
  });
});

describe('isLoopback', () => {
  it('accepts only addresses of this machine', () => {
    for (const h of ['127.0.0.1', 'localhost', '[::1]', '127.1.2.3'])
      expect(isLoopback(h)).toBe(true);
    for (const h of ['10.0.0.1', 'example.org', '0.0.0.0']) expect(isLoopback(h)).toBe(false);
  });
});
