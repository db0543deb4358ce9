interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** The two stages of a flush: work out what to write, then write and commit it. */
export interface FlushStages<T, P, R> {
  /**
   * Works out a flush of `items`. `ahead` are the plans planned before it and not yet
   * committed, oldest first: the flush must see what they write as if it were stored.
   */
  plan(items: T[], ahead: readonly P[]): Promise<P>;
  /** Writes and commits a plan; resolves with one result per item, in order. */
  persist(plan: P): Promise<R[]>;
  /** Whether later flushes may be planned before this plan is committed. */
  overlaps(plan: P): boolean;
  /**
   * Items of one flush share their key; an item without one (undefined) joins any flush. An
   * item whose key differs from the flush's waits for the next flush. None: every item joins.
   */
  flushKey?(item: T): unknown;
}

interface Planned<T, P, R> {
  batch: Pending<T, R>[];
  plan: P;
  /** The plans it was planned on top of. */
  ahead: readonly P[];
}

/**
 * Groups concurrent submissions into shared flushes: while one flush runs, new items queue up
 * and go together in the next one. A durable store then pays one commit (one fsync) for many
 * requests instead of one each. Each submitter's promise settles only when its flush has.
 *
 * Flushes are persisted one at a time, in the order submitted. While one is persisted, up to
 * `pipeline - 1` full flushes (of `maxWeight`) may be planned on top of it (when `overlaps`
 * allows), so that planning and writing run side by side. A plan whose `ahead` did not all
 * commit is planned again, on what is committed, before it is persisted.
 */
export class GroupCommitter<T, P, R> {
  private pending: Pending<T, R>[] = [];
  private running: Promise<void> | null = null;
  private readonly queued: Planned<T, P, R>[] = [];
  private persisting: Promise<void> | null = null;
  private readonly committed = new WeakSet<object>();
  private changed: (() => void) | null = null;

  /**
   * `weightOf` and `maxWeight` cap a flush (it always takes at least one item); `pipeline` is
   * how many flushes may be planned and not yet committed at once (1: plan after commit).
   */
  constructor(
    private readonly stages: FlushStages<T, P, R>,
    private readonly weightOf: (item: T) => number = () => 1,
    private readonly maxWeight = 20_000,
    private readonly pipeline = 1,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.running ??= this.run();
      this.signal();
    });
  }

  /** Resolves once everything submitted so far has been flushed (or failed). */
  async drain(): Promise<void> {
    while (this.running !== null) {
      await this.running;
    }
  }

  /** Items submitted and not yet taken into a flush. */
  get depth(): number {
    return this.pending.length;
  }

  private async run(): Promise<void> {
    // Let the current turn of the event loop add its items before the first flush.
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      if (this.pending.length > 0 && this.roomToPlan()) {
        await this.planNext();
      } else if (this.pending.length === 0 && this.persisting === null) {
        break;
      } else {
        await this.nextChange();
      }
    }
    this.running = null;
  }

  private async planNext(): Promise<void> {
    const batch = this.takeBatch();
    const ahead = this.queued.map((queued) => queued.plan);
    try {
      const plan = await this.stages.plan(
        batch.map((entry) => entry.item),
        ahead,
      );
      this.queued.push({ batch, plan, ahead });
      this.persisting ??= this.persistQueued();
    } catch (error) {
      batch.forEach((entry) => entry.reject(error));
    }
  }

  /**
   * Planned ahead of a commit only when there is a full flush waiting: a smaller one is better
   * off gathering what arrives meanwhile (fewer, larger flushes).
   */
  private roomToPlan(): boolean {
    const last = this.queued.at(-1);
    return (
      last === undefined ||
      (this.queued.length < this.pipeline && this.stages.overlaps(last.plan) && this.fullFlushPending())
    );
  }

  private fullFlushPending(): boolean {
    let weight = 0;
    for (const entry of this.pending) {
      weight += this.weightOf(entry.item);
      if (weight >= this.maxWeight) {
        return true;
      }
    }
    return false;
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => (this.changed = resolve));
  }

  private signal(): void {
    this.changed?.();
    this.changed = null;
  }

  /** Persists queued plans in order until none is left. */
  private async persistQueued(): Promise<void> {
    for (let head = this.queued[0]; head !== undefined; head = this.queued[0]) {
      const items = head.batch.map((entry) => entry.item);
      try {
        // Everything ahead of it has been persisted by now: if some of that failed, its
        // plan saw writes that never happened, and it is planned again on what is stored.
        if (!head.ahead.every((plan) => this.committed.has(plan as object))) {
          head.plan = await this.stages.plan(items, []);
        }
        const results = await this.stages.persist(head.plan);
        this.committed.add(head.plan as object);
        head.batch.forEach((entry, index) => entry.resolve(results[index]));
      } catch (error) {
        head.batch.forEach((entry) => entry.reject(error));
      }
      this.queued.shift();
      this.signal();
    }
    this.persisting = null;
    this.signal();
  }

  private takeBatch(): Pending<T, R>[] {
    let weight = 0;
    let count = 0;
    let key: unknown = undefined;
    while (
      count < this.pending.length &&
      (count === 0 || weight + this.weightOf(this.pending[count].item) <= this.maxWeight)
    ) {
      const itemKey = this.stages.flushKey?.(this.pending[count].item);
      if (itemKey !== undefined) {
        if (key !== undefined && itemKey !== key) {
          break;
        }
        key = itemKey;
      }
      weight += this.weightOf(this.pending[count].item);
      count += 1;
    }
    return this.pending.splice(0, count);
  }
}
