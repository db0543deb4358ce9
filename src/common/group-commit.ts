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
  /**
   * Whether a plan is worked out inside its own persist, reading nothing any other flush
   * planned (PostgreSQL, where each flush plans in its transaction under the locks of its
   * keys): such plans are persisted side by side, up to the pipeline's depth, in any order.
   * A plan that is not waits until every other has committed, and holds back the ones after it.
   */
  independent?(plan: P): boolean;
}

interface Planned<T, P, R> {
  batch: Pending<T, R>[];
  plan: P;
  /** The plans it was planned on top of. */
  ahead: readonly P[];
  started?: boolean;
}

/**
 * Groups concurrent submissions into shared flushes: while one flush runs, new items queue up
 * and go together in the next one. A durable store then pays one commit (one fsync) for many
 * requests instead of one each. Each submitter's promise settles only when its flush has.
 *
 * Flushes are persisted one at a time, in the order submitted. While one is persisted, up to
 * `pipeline - 1` full flushes (of `maxWeight`) may be planned on top of it (when `overlaps`
 * allows), so that planning and writing run side by side. A plan whose `ahead` did not all
 * commit is planned again, on what is committed, before it is persisted. Independent plans
 * (see FlushStages.independent) are the exception: up to `pipeline` of them are persisted at
 * once, the next one planned as soon as items wait, full or not.
 */
export class GroupCommitter<T, P, R> {
  private pending: Pending<T, R>[] = [];
  private running: Promise<void> | null = null;
  private readonly queued: Planned<T, P, R>[] = [];
  private persisting: Promise<void> | null = null;
  private readonly committed = new WeakSet<object>();
  private changed: (() => void) | null = null;
  /** Wakes persistQueued when a plan is queued while it waits for a persist to end. */
  private enqueued: (() => void) | null = null;

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
      this.enqueued?.();
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
    if (last === undefined) {
      return true;
    }
    if (this.queued.length >= this.pipeline) {
      return false;
    }
    return this.isIndependent(last) || (this.stages.overlaps(last.plan) && this.fullFlushPending());
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

  private isIndependent(queued: Planned<T, P, R>): boolean {
    return this.stages.independent?.(queued.plan) ?? false;
  }

  /**
   * Persists queued plans until none is left: in order, one at a time, except that independent
   * plans are persisted side by side while only independent plans run.
   */
  private async persistQueued(): Promise<void> {
    const running = new Set<Promise<void>>();
    for (;;) {
      const next = this.queued.find((queued) => queued.started !== true);
      const together =
        next !== undefined &&
        this.isIndependent(next) &&
        this.queued.every((queued) => queued.started !== true || this.isIndependent(queued));
      if (next !== undefined && (running.size === 0 || together)) {
        next.started = true;
        const persisted: Promise<void> = this.persistOne(next).finally(() => running.delete(persisted));
        running.add(persisted);
        continue;
      }
      if (running.size === 0) {
        break;
      }
      // A persist ends, or (when independent plans run) a new plan may join them.
      await Promise.race([...running, new Promise<void>((resolve) => (this.enqueued = resolve))]);
      this.enqueued = null;
    }
    this.persisting = null;
    this.signal();
  }

  private async persistOne(head: Planned<T, P, R>): Promise<void> {
    const items = head.batch.map((entry) => entry.item);
    try {
      // Everything ahead of it has been persisted by now: if some of that failed, its
      // plan saw writes that never happened, and it is planned again on what is stored.
      // (An independent plan read nothing of theirs.)
      if (!this.isIndependent(head) && !head.ahead.every((plan) => this.committed.has(plan as object))) {
        head.plan = await this.stages.plan(items, []);
      }
      const results = await this.stages.persist(head.plan);
      this.committed.add(head.plan as object);
      head.batch.forEach((entry, index) => entry.resolve(results[index]));
    } catch (error) {
      head.batch.forEach((entry) => entry.reject(error));
    }
    this.queued.splice(this.queued.indexOf(head), 1);
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
