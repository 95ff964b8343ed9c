import type { Logger } from 'pino';

/**
 * Runs a piece of background work every few seconds, never two runs at once. A failed
 * run is logged and tried again at the next tick; `stop` waits for the run in progress.
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

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
