/**
 * Splunk HEC indexer acknowledgement, per channel. Pure: the clock is passed in.
 *
 * An ackId is issued only after its request's events are committed (the service answers
 * after the commit), so every id a client holds is durable; the registry remembers which
 * issued ids have not been queried yet. As in Splunk, a query answers true once and then
 * forgets the id, ids are per channel and start at 0, and an unknown id is false.
 *
 * Memory is bounded without a set per id: a channel's pending ids are kept as sorted,
 * disjoint ranges [start, end). Ids are issued in order and clients query them mostly in
 * order, so a channel usually holds one range. Past `maxPending` ids (or MAX_RANGES ranges)
 * the oldest are forgotten: they then read false and a client resends them (a duplicate,
 * never a loss). Channels are capped in number; a new channel beyond the cap evicts only
 * channels idle for IDLE_MS (Splunk's maxIdleTime), otherwise it is refused (503): evicting
 * a live channel would make its client resend committed events, and duplicated failed logins
 * would count twice towards a block.
 */
export const IDLE_MS = 10 * 60_000;
export const MAX_RANGES = 1024;

class Channel {
  nextId = 0;
  pending = 0;
  /** Sorted, disjoint [start, end) pairs. */
  readonly ranges: [number, number][] = [];

  constructor(public lastUsed: number) {}

  issue(maxPending: number): number {
    const id = this.nextId;
    this.nextId += 1;
    const last = this.ranges[this.ranges.length - 1];
    if (last !== undefined && last[1] === id) {
      last[1] = id + 1;
    } else {
      this.ranges.push([id, id + 1]);
    }
    this.pending += 1;
    while (this.pending > maxPending || this.ranges.length > MAX_RANGES) {
      this.forgetOldest(this.ranges.length > MAX_RANGES);
    }
    return id;
  }

  /** True once for an id issued and not yet queried, which it then forgets. */
  take(id: number): boolean {
    const at = this.rangeOf(id);
    if (at === -1) {
      return false;
    }
    const [start, end] = this.ranges[at];
    if (end - start === 1) {
      this.ranges.splice(at, 1);
    } else if (id === start) {
      this.ranges[at][0] = start + 1;
    } else if (id === end - 1) {
      this.ranges[at][1] = end - 1;
    } else {
      this.ranges.splice(at, 1, [start, id], [id + 1, end]);
    }
    this.pending -= 1;
    return true;
  }

  private rangeOf(id: number): number {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const [start, end] = this.ranges[mid];
      if (id < start) {
        high = mid - 1;
      } else if (id >= end) {
        low = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  private forgetOldest(wholeRange: boolean): void {
    const first = this.ranges[0];
    const count = wholeRange ? first[1] - first[0] : 1;
    first[0] += count;
    this.pending -= count;
    if (first[0] >= first[1]) {
      this.ranges.shift();
    }
  }
}

export interface AckLimits {
  maxChannels: number;
  maxPending: number;
}

export class AckChannels {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly limits: AckLimits) {}

  get size(): number {
    return this.channels.size;
  }

  /** Whether a request on `channel` may go ahead: false when a new channel finds no room. */
  admit(channel: string, now: number): boolean {
    return this.channelFor(channel, now) !== null;
  }

  /** The ackId for a committed request on `channel`, or null when there is no room for it. */
  issue(channel: string, now: number): number | null {
    return this.channelFor(channel, now)?.issue(this.limits.maxPending) ?? null;
  }

  /** Splunk's answer to `{"acks":[…]}`: each id true once if issued and not yet queried. */
  query(channel: string, ids: readonly number[], now: number): Record<string, boolean> {
    const known = this.channels.get(channel);
    if (known !== undefined) {
      known.lastUsed = now;
    }
    const answer: Record<string, boolean> = {};
    for (const id of ids) {
      answer[String(id)] = known?.take(id) ?? false;
    }
    return answer;
  }

  private channelFor(name: string, now: number): Channel | null {
    const known = this.channels.get(name);
    if (known !== undefined) {
      known.lastUsed = now;
      return known;
    }
    if (this.channels.size >= this.limits.maxChannels) {
      this.evictIdle(now);
    }
    if (this.channels.size >= this.limits.maxChannels) {
      return null;
    }
    const channel = new Channel(now);
    this.channels.set(name, channel);
    return channel;
  }

  private evictIdle(now: number): void {
    for (const [name, channel] of this.channels) {
      if (now - channel.lastUsed > IDLE_MS) {
        this.channels.delete(name);
      }
    }
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splunk requires a channel to be a GUID; it is compared in lower case. */
export function channelName(value: unknown): string | null {
  return typeof value === 'string' && GUID.test(value) ? value.toLowerCase() : null;
}
