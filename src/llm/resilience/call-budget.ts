/**
 * At most `perMinute` calls in any rolling 60 seconds, over an injected clock. Each API
 * attempt (retries included) takes one unit: the budget bounds what the service can spend.
 */
export class CallBudget {
  private readonly times: number[] = [];

  constructor(private readonly perMinute: number) {}

  tryTake(now: number): boolean {
    this.forget(now);
    if (this.times.length >= this.perMinute) {
      return false;
    }
    this.times.push(now);
    return true;
  }

  used(now: number): number {
    this.forget(now);
    return this.times.length;
  }

  get limit(): number {
    return this.perMinute;
  }

  private forget(now: number): void {
    while (this.times.length > 0 && now - this.times[0] >= 60_000) {
      this.times.shift();
    }
  }
}
