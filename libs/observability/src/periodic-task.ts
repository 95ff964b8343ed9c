import type { Logger } from 'pino';
import { settleWithin } from './settle-within';

/** How long `stop` waits for a run in progress (one stuck on a database that no longer answers). */
const STOP_WAIT_MS = 1000;

/**
 * Runs a piece of background work every few seconds, never two runs at once. A failed
 * run is logged and tried again at the next tick; `stop` waits for the run in progress, for
 * one second at most (an unfinished run's transaction is rolled back when the process
 * leaves, and the next run does its work again).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly failure: string,
    private readonly logger: Logger,
  ) {}

  start(everySeconds: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.work()
        .then(() => undefined)
        .catch((e: unknown) => this.logger.warn({ err: (e as Error).message }, this.failure))
        .finally(() => (this.running = undefined));
    }, everySeconds * 1000);
    this.timer.unref();
  }

  async stop(waitMs = STOP_WAIT_MS): Promise<void> {
    clearInterval(this.timer);
    if ((await settleWithin(this.running, waitMs)) === 'timed-out') {
      this.logger.warn({ waitedMs: waitMs }, 'background run still busy at shutdown; left behind');
    }
  }
}
