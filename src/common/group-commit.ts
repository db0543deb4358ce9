interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups concurrent submissions into shared flushes: while one flush runs, new items queue up
 * and go together in the next one. A durable store then pays one commit (one fsync) for many
 * requests instead of one each. Each submitter's promise settles only when its flush has.
 */
export class GroupCommitter<T, R> {
  private pending: Pending<T, R>[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly weightOf: (item: T) => number = () => 1,
    private readonly maxWeight = 20_000,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.running ??= this.run();
    });
  }

  /** Resolves once everything submitted so far has been flushed (or failed). */
  async drain(): Promise<void> {
    while (this.running !== null) {
      await this.running;
    }
  }

  get depth(): number {
    return this.pending.length;
  }

  private async run(): Promise<void> {
    // Let the current turn of the event loop add its items before the first flush.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      try {
        const results = await this.flush(batch.map((entry) => entry.item));
        batch.forEach((entry, index) => entry.resolve(results[index]));
      } catch (error) {
        batch.forEach((entry) => entry.reject(error));
      }
    }
    this.running = null;
  }

  private takeBatch(): Pending<T, R>[] {
    let weight = 0;
    let count = 0;
    while (
      count < this.pending.length &&
      (count === 0 || weight + this.weightOf(this.pending[count].item) <= this.maxWeight)
    ) {
      weight += this.weightOf(this.pending[count].item);
      count += 1;
    }
    return this.pending.splice(0, count);
  }
}
