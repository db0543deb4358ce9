export type OfferResult = 'queued' | 'already_queued' | 'full' | 'closed';

/**
 * A bounded work queue keyed by actor: each key waits at most once, at most one job per key
 * runs at a time, and at most `concurrency` jobs run at once. A key offered while its job
 * runs waits for it (the later review sees the later events). Nothing here blocks the caller:
 * `offer` answers at once, and a full queue says so instead of growing.
 */
export class ReviewQueue<K> {
  private readonly waiting = new Set<K>();
  private readonly running = new Set<K>();
  private readonly settled = new Set<() => void>();
  private closed = false;
  private scheduled = false;

  constructor(
    private readonly max: number,
    private readonly concurrency: number,
    private readonly work: (key: K) => Promise<void>,
  ) {}

  offer(key: K): OfferResult {
    if (this.closed) {
      return 'closed';
    }
    if (this.waiting.has(key)) {
      return 'already_queued';
    }
    if (this.waiting.size >= this.max) {
      return 'full';
    }
    this.waiting.add(key);
    this.schedule();
    return 'queued';
  }

  get depth(): number {
    return this.waiting.size;
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Resolves when nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (this.waiting.size === 0 && this.running.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.settled.add(resolve));
  }

  /** Stops taking work, forgets what waits, and resolves when the running jobs have ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    await this.idle();
  }

  /** Starts workers on the next turn, so an offer made inside a write returns at once. */
  private schedule(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    }
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency) {
      const next = this.nextReady();
      if (next === undefined) {
        break;
      }
      this.waiting.delete(next);
      this.running.add(next);
      void this.run(next);
    }
    this.notifyIfIdle();
  }

  /** The oldest waiting key whose previous job has ended. */
  private nextReady(): K | undefined {
    for (const key of this.waiting) {
      if (!this.running.has(key)) {
        return key;
      }
    }
    return undefined;
  }

  private async run(key: K): Promise<void> {
    try {
      await this.work(key);
    } catch {
      // The work reports its own failures; the queue only keeps going.
    } finally {
      this.running.delete(key);
      this.pump();
    }
  }

  private notifyIfIdle(): void {
    if (this.waiting.size === 0 && this.running.size === 0) {
      this.settled.forEach((resolve) => resolve());
      this.settled.clear();
    }
  }
}
