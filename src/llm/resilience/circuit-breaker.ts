export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerSettings {
  /** Consecutive failed calls that open the breaker. */
  threshold: number;
  /** How long it stays open before one trial call. */
  cooldownMs: number;
}

/**
 * A circuit breaker as a state machine over an injected clock (`now` in ms on every call).
 * closed → (threshold consecutive failures) → open → (cool-down) → half_open: one trial call
 * → closed on success, open again on failure.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private opens = 0;

  constructor(private readonly settings: BreakerSettings) {}

  state(now: number): BreakerState {
    if (this.openedAt === null) {
      return 'closed';
    }
    return now - this.openedAt >= this.settings.cooldownMs ? 'half_open' : 'open';
  }

  /** Whether a call may go out now; in half_open, only one trial at a time. */
  tryAcquire(now: number): boolean {
    switch (this.state(now)) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half_open':
        if (this.trialInFlight) {
          return false;
        }
        this.trialInFlight = true;
        return true;
    }
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  /** Returns true when this failure opened (or re-opened) the breaker. */
  onFailure(now: number): boolean {
    this.failures += 1;
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial || (this.openedAt === null && this.failures >= this.settings.threshold)) {
      this.openedAt = now;
      this.opens += 1;
      return true;
    }
    return false;
  }

  /** A call that ended without a verdict on the API's health (aborted): frees a trial slot. */
  onNeutral(): void {
    this.trialInFlight = false;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get timesOpened(): number {
    return this.opens;
  }
}
