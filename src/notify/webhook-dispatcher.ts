/**
 * Delivers webhook posts off the write path: a bounded queue, a few posts at a time, retries
 * with exponential backoff and jitter, a bounded number of attempts. Nothing here is awaited
 * by ingest; a full queue drops (and counts) rather than grows.
 */
export type AttemptOutcome = 'success' | 'http_4xx' | 'http_5xx' | 'redirect' | 'timeout' | 'network';
export type DeliveryResult = 'delivered' | 'failed' | 'dropped';

export interface Delivery {
  id: string;
  /** Index of the target in WEBHOOK_URLS, for the metrics (a URL may be a secret). */
  target: number;
  url: URL;
  /** Builds the body and headers for one attempt (the signature's timestamp is per attempt). */
  request(): { body: string; headers: Record<string, string> };
}

/** One HTTP POST; resolves with the status, rejects on a network error or an abort. */
export type Post = (url: URL, body: string, headers: Record<string, string>, signal: AbortSignal) => Promise<number>;

export interface DispatcherOptions {
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  queueMax: number;
  concurrency: number;
}

export interface DispatcherObserver {
  attempted(delivery: Delivery, outcome: AttemptOutcome, seconds: number): void;
  finished(delivery: Delivery, result: DeliveryResult, attempts: number): void;
}

const MAX_DELAY_MS = 5 * 60_000;

/** Whether an attempt's outcome is worth another: 5xx, 408, 429, timeouts and network errors. */
export function retryable(outcome: AttemptOutcome, status?: number): boolean {
  return outcome === 'http_5xx' || outcome === 'timeout' || outcome === 'network' || status === 408 || status === 429;
}

/** The wait before attempt `attempt + 1`: base × 2^(attempt-1), between half and all of it (jitter), capped. */
export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const full = Math.min(MAX_DELAY_MS, baseMs * 2 ** (attempt - 1));
  return Math.round(full / 2 + (full / 2) * random());
}

export function outcomeOf(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) {
    return 'success';
  }
  if (status >= 300 && status < 400) {
    return 'redirect';
  }
  return status >= 500 ? 'http_5xx' : 'http_4xx';
}

interface Queued {
  delivery: Delivery;
  attempts: number;
}

export class WebhookDispatcher {
  private readonly ready: Queued[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private waitingRetry = 0;
  private running = 0;
  private stopped = false;

  constructor(
    private readonly post: Post,
    private readonly options: DispatcherOptions,
    private readonly observer: DispatcherObserver,
  ) {}

  /** Deliveries waiting, retrying or being posted. */
  get depth(): number {
    return this.ready.length + this.waitingRetry + this.running;
  }

  /** Queues a delivery; false (and counted as dropped) when the queue is full or stopped. */
  enqueue(delivery: Delivery): boolean {
    if (this.stopped || this.depth >= this.options.queueMax) {
      this.observer.finished(delivery, 'dropped', 0);
      return false;
    }
    this.ready.push({ delivery, attempts: 0 });
    this.pump();
    return true;
  }

  /** Stops: pending retries are abandoned, posts in flight aborted. */
  stop(): void {
    this.stopped = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    this.controllers.forEach((controller) => controller.abort());
    this.ready.length = 0;
  }

  private pump(): void {
    while (!this.stopped && this.running < this.options.concurrency && this.ready.length > 0) {
      const next = this.ready.shift() as Queued;
      this.running += 1;
      void this.attempt(next).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async attempt(queued: Queued): Promise<void> {
    queued.attempts += 1;
    const { body, headers } = queued.delivery.request();
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const started = performance.now();
    let outcome: AttemptOutcome;
    let status: number | undefined;
    try {
      status = await this.post(queued.delivery.url, body, headers, controller.signal);
      outcome = outcomeOf(status);
    } catch {
      outcome = controller.signal.aborted ? 'timeout' : 'network';
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
    if (this.stopped) {
      return;
    }
    this.observer.attempted(queued.delivery, outcome, (performance.now() - started) / 1000);
    if (outcome === 'success') {
      this.observer.finished(queued.delivery, 'delivered', queued.attempts);
    } else if (retryable(outcome, status) && queued.attempts < this.options.maxAttempts) {
      this.retryLater(queued);
    } else {
      this.observer.finished(queued.delivery, 'failed', queued.attempts);
    }
  }

  private retryLater(queued: Queued): void {
    this.waitingRetry += 1;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.waitingRetry -= 1;
        this.ready.push(queued);
        this.pump();
      },
      backoffMs(queued.attempts, this.options.retryBaseMs),
    );
    timer.unref();
    this.timers.add(timer);
  }
}
