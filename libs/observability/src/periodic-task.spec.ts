import pino from 'pino';
import { PeriodicTask } from './periodic-task';

const logger = pino({ level: 'silent' });

/** Starts `task` and waits until its first run has begun. */
async function started(task: PeriodicTask, begun: Promise<void>): Promise<void> {
  task.start(0.01);
  await begun;
}

describe('PeriodicTask.stop', () => {
  it('waits for the run in progress when it ends in time', async () => {
    let finished = false;
    let begin!: () => void;
    const begun = new Promise<void>((r) => (begin = r));
    const task = new PeriodicTask(
      async () => {
        begin();
        await new Promise((r) => setTimeout(r, 50));
        finished = true;
      },
      'failed',
      logger,
    );
    await started(task, begun);
    await task.stop(1000);
    expect(finished).toBe(true);
  });

  it('gives up on a run that hangs, after the wait given', async () => {
    let begin!: () => void;
    const begun = new Promise<void>((r) => (begin = r));
    const task = new PeriodicTask(
      () => {
        begin();
        return new Promise(() => undefined); // a query to a database that no longer answers
      },
      'failed',
      logger,
    );
    await started(task, begun);
    const t0 = Date.now();
    await task.stop(100);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('PeriodicTask.start', () => {
  it('runs first after the delay given, then every interval', async () => {
    let runs = 0;
    let first!: () => void;
    const ran = new Promise<void>((r) => (first = r));
    const task = new PeriodicTask(
      () => {
        runs++;
        first();
        return Promise.resolve();
      },
      'failed',
      logger,
    );
    // An interval far beyond the test's time: only the first delay can make it run.
    task.start(3600, 0.01);
    await ran;
    await task.stop();
    expect(runs).toBe(1);
  });

  it('never runs when stopped before its first run', async () => {
    let runs = 0;
    const task = new PeriodicTask(
      () => {
        runs++;
        return Promise.resolve();
      },
      'failed',
      logger,
    );
    jest.useFakeTimers();
    try {
      task.start(0.01, 0.05);
      await task.stop();
      // Well past the first run and several intervals: nothing was left scheduled.
      await jest.advanceTimersByTimeAsync(1000);
      expect(runs).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('PeriodicTask with a lease', () => {
  it('runs only while the lease is held, and again once it is held again', async () => {
    const lease = { isLeader: true };
    let runs = 0;
    let waiting: { after: number; resolve: () => void } | undefined;
    const runsReach = (n: number) =>
      new Promise<void>((resolve) => (waiting = { after: n, resolve }));
    const task = new PeriodicTask(
      () => {
        runs++;
        if (waiting && runs >= waiting.after) waiting.resolve();
        return Promise.resolve();
      },
      'failed',
      logger,
      lease,
    );
    let reached = runsReach(2);
    task.start(0.005, 0);
    await reached;
    lease.isLeader = false;
    const atLoss = runs;
    // Ticks go on while the lease is away: a run would show within a few of them.
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(atLoss);
    reached = runsReach(atLoss + 2);
    lease.isLeader = true;
    await reached;
    await task.stop();
    expect(runs).toBeGreaterThanOrEqual(atLoss + 2);
  });
});
