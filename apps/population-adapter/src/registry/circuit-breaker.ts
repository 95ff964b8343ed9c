/**
 * A circuit breaker for calls to a remote system: after `failures` failed calls in a row it
 * opens, and calls fail at once for `openMs`; then one trial call is let through (half
 * open): its success closes the circuit, its failure opens it again for another `openMs`.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | undefined;
  private trialRunning = false;

  constructor(
    private readonly failures: number,
    private readonly openMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt < this.openMs ? 'open' : 'half-open';
  }

  /** Milliseconds until a trial call may go, while open. */
  get retryInMs(): number {
    return this.openedAt === undefined ? 0 : Math.max(0, this.openedAt + this.openMs - this.now());
  }

  /** Whether a call may go now; in half-open state only one at a time (the trial). */
  allows(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  succeeded(): void {
    this.consecutive = 0;
    this.openedAt = undefined;
    this.trialRunning = false;
  }

  failed(): void {
    this.consecutive++;
    if (this.trialRunning || this.consecutive >= this.failures) this.openedAt = this.now();
    this.trialRunning = false;
  }
}
