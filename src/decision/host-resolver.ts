import { lookup } from 'node:dns/promises';
import { canonicalIp } from '../domain/ip';

/** A name's addresses (any spelling; canonicalised here), or a rejection when it has none. */
export type LookupAll = (name: string) => Promise<string[]>;

export interface HostResolverOptions {
  /** Default: node:dns `lookup` (getaddrinfo: /etc/hosts, then the system's resolvers). */
  lookup?: LookupAll;
  timeoutMs?: number;
  /** How long an answer is reused (a name that did not resolve: `negativeTtlMs`). */
  ttlMs?: number;
  negativeTtlMs?: number;
  /** Names remembered at most; the oldest answer goes first. */
  maxEntries?: number;
  /** Addresses kept per name: a name that resolves to a whole farm is blocked as its first few. */
  maxAddresses?: number;
  clock?: () => number;
}

interface Entry {
  addresses: readonly string[];
  until: number;
}

const systemLookup: LookupAll = async (name) =>
  (await lookup(name, { all: true, verbatim: true })).map((found) => found.address);

/**
 * Host names to addresses for blocking host-name actors (RESOLVE_HOSTNAMES). Disabled, it makes
 * no query at all. Enabled, `prepare` looks up the names a write is about to judge (before the
 * write's plan, outside any transaction; each lookup bounded by a timeout; concurrent asks for
 * one name share one lookup) and `addressesOf` answers from the cache, synchronously, while the
 * write is judged. A lookup that fails or times out is remembered as "no address" for a while,
 * so a name that does not resolve does not slow every write.
 */
export class HostResolver {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly lookupAll: LookupAll;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;
  private readonly maxAddresses: number;
  private readonly clock: () => number;

  constructor(
    readonly enabled: boolean,
    options: HostResolverOptions = {},
  ) {
    this.lookupAll = options.lookup ?? systemLookup;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 4096;
    this.maxAddresses = options.maxAddresses ?? 16;
    this.clock = options.clock ?? Date.now;
  }

  /** Looks up the names not cached (or cached too long ago); resolves when all have an answer. */
  async prepare(names: Iterable<string>): Promise<void> {
    if (!this.enabled) {
      return;
    }
    const now = this.clock();
    const waits: Promise<void>[] = [];
    for (const name of new Set(names)) {
      const entry = this.cache.get(name);
      if (entry === undefined || entry.until <= now) {
        waits.push(this.inFlight.get(name) ?? this.resolve(name));
      }
    }
    await Promise.all(waits);
  }

  /** The cached addresses of `name` (canonical), [] when it did not resolve, undefined when never looked up. */
  addressesOf(name: string): readonly string[] | undefined {
    return this.enabled ? this.cache.get(name)?.addresses : undefined;
  }

  private resolve(name: string): Promise<void> {
    const done = this.lookupWithTimeout(name)
      .then((found) => this.remember(name, found))
      .finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, done);
    return done;
  }

  private async lookupWithTimeout(name: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), this.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.lookupAll(name).catch(() => []), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(name: string, found: readonly string[]): void {
    const addresses = [...new Set(found.map((text) => canonicalIp(text)).filter((ip): ip is string => ip !== null))];
    const kept = addresses.slice(0, this.maxAddresses);
    this.cache.delete(name);
    this.cache.set(name, {
      addresses: kept,
      until: this.clock() + (kept.length === 0 ? this.negativeTtlMs : this.ttlMs),
    });
    while (this.cache.size > this.maxEntries) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
  }
}
