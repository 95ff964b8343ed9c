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
