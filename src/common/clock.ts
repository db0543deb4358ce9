/**
 * Where "now" comes from for the write path. Production reads the system clock; a replay
 * provides the latest event time seen, so that decisions start and expire in the log's time.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock set by hand that never goes back (replays, tests). */
export class ManualClock extends Clock {
  private current: number;

  constructor(start: Date = new Date(0)) {
    super();
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward to `time`; an earlier time leaves it where it is. */
  advanceTo(time: Date): void {
    this.current = Math.max(this.current, time.getTime());
  }
}
