import type { Logger } from 'pino';
import { settleWithin } from './settle-within';

/** How long `stop` waits for a run in progress (one stuck on a database that no longer answers). */
const STOP_WAIT_MS = 1000;

/**
 * Whether a run may begin now. Work that must run once among a service's replicas passes
 * its leader lease (`LeaderLease` of @lgsp/persistence): a replica that does not hold it
 * skips its ticks.
 */
export interface RunCondition {
  readonly isLeader: boolean;
}

/**
 * Runs a piece of background work every few seconds, never two runs at once. A failed
 * run is logged and tried again at the next tick; `stop` waits for the run in progress, for
 * one second at most (an unfinished run's transaction is rolled back when the process
 * leaves, and the next run does its work again). Given a lease, a tick begins a run only
 * while this replica holds it; a run under way when the lease is lost goes on to its end
 * (the work's own transaction guards against a replica that took over meanwhile).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly failure: string,
    private readonly logger: Logger,
    private readonly lease?: RunCondition,
  ) {}

  /** Every `everySeconds`, the first run after `firstAfterSeconds` (one interval by default). */
  start(everySeconds: number, firstAfterSeconds = everySeconds): void {
    const tick = () => {
      if (this.lease && !this.lease.isLeader) return;
      this.running ??= this.work()
        .then(() => undefined)
        .catch((e: unknown) => this.logger.warn({ err: (e as Error).message }, this.failure))
        .finally(() => (this.running = undefined));
    };
    this.stopped = false;
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      tick();
      this.timer = setInterval(tick, everySeconds * 1000);
      this.timer.unref();
    }, firstAfterSeconds * 1000);
    this.timer.unref();
  }

  async stop(waitMs = STOP_WAIT_MS): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.timer);
    if ((await settleWithin(this.running, waitMs)) === 'timed-out') {
      this.logger.warn({ waitedMs: waitMs }, 'background run still busy at shutdown; left behind');
    }
  }
}
