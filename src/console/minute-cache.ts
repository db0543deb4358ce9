import { MinuteCount } from '../memory/console-queries';

/** Minutes this recent may still get events (a write stamped in one minute commits in the next). */
export const UNSETTLED_MINUTES = 2;

/**
 * Per-minute event counts of minutes that are over, kept so that each overview reads only the
 * last few minutes from the store: with a million events in the last hour, counting them all
 * every five seconds took seconds; the minutes since the last read take milliseconds. Arrival
 * time only moves forward, so a minute that has settled never changes.
 */
export class MinuteCountCache {
  private readonly settled = new Map<number, MinuteCount[]>();
  /** Every settled minute in [windowStart, settledUntil) is in `settled`. */
  private settledUntil = -Infinity;

  constructor(private readonly read: (since: Date) => Promise<MinuteCount[]>) {}

  async counts(since: Date, now: Date): Promise<MinuteCount[]> {
    const start = since.getTime();
    const settledBefore = Math.floor(now.getTime() / 60_000) * 60_000 - UNSETTLED_MINUTES * 60_000;
    if (this.settledUntil < start || this.settledUntil > settledBefore) {
      this.settled.clear(); // first read, a gap longer than the window, or a clock moved back
      this.settledUntil = start;
    }
    for (const minute of this.settled.keys()) {
      if (minute < start) {
        this.settled.delete(minute);
      }
    }
    const from = this.settledUntil; // taken before the read: another overview may move it meanwhile
    const fresh = await this.read(new Date(from));
    // Each read holds whole minutes, so a minute's rows replace what was kept: two overviews
    // reading at once store the same rows, never twice.
    const byMinute = new Map<number, MinuteCount[]>();
    for (const row of fresh) {
      if (row.minute < settledBefore) {
        byMinute.set(row.minute, [...(byMinute.get(row.minute) ?? []), row]);
      }
    }
    byMinute.forEach((rows, minute) => this.settled.set(minute, rows));
    this.settledUntil = Math.max(this.settledUntil, settledBefore);
    const kept = [...this.settled.entries()].filter(([minute]) => minute < from).flatMap(([, rows]) => rows);
    return [...kept, ...fresh];
  }
}
