import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Environment } from '../config/environment';
import { MemoryService } from '../memory/memory.service';
import { DecisionNotice, WriteObserver } from '../memory/write-observer';
import { MetricsService } from '../metrics/metrics.service';
import { AttemptOutcome, Delivery, DeliveryResult, Post, WebhookDispatcher } from './webhook-dispatcher';
import { eventType, SIGNATURE_HEADER, signatureHeader, wanted, webhookBody } from './webhook-payload';
import { parseWebhookSettings, WebhookSettings } from '../config/webhook-settings';

const USER_AGENT = 'soc-triage-webhook/0.1';

/** A POST with fetch that never follows a redirect: only the configured URLs are ever contacted. */
export const fetchPost: Post = async (url, body, headers, signal) => {
  const response = await fetch(url, { method: 'POST', body, headers, signal, redirect: 'manual' });
  await response.body?.cancel();
  return response.status;
};

/**
 * Webhooks on new decisions (WEBHOOK_*): told by Memory after each commit, it filters the
 * notices by kind and rule and hands them to the dispatcher, so that ingest never waits for a
 * receiver. Off (no outbound connection at all) while WEBHOOK_URLS is unset.
 */
@Injectable()
export class WebhookService implements WriteObserver, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookService.name);
  private readonly settings: WebhookSettings;
  private readonly dispatcher: WebhookDispatcher | null = null;
  private readonly deliveries: Counter<'target' | 'result'>;
  private readonly attempts: Counter<'target' | 'outcome'>;
  private readonly seconds: Histogram<'target'>;

  constructor(
    private readonly memory: MemoryService,
    config: ConfigService<Environment, true>,
    metrics: MetricsService,
  ) {
    const get = <K extends keyof Environment>(key: K): Environment[K] => config.get(key, { infer: true });
    this.settings = parseWebhookSettings({
      WEBHOOK_URLS: get('WEBHOOK_URLS'),
      WEBHOOK_SECRET: get('WEBHOOK_SECRET'),
      WEBHOOK_ACTIONS: get('WEBHOOK_ACTIONS'),
      WEBHOOK_RULES: get('WEBHOOK_RULES'),
      WEBHOOK_FORMAT: get('WEBHOOK_FORMAT'),
    });
    const registers = [metrics.registry];
    this.deliveries = new Counter({
      name: 'soc_webhook_deliveries_total',
      help: 'Webhook notifications by target (position in WEBHOOK_URLS) and result: delivered, failed (attempts spent), dropped (queue full).',
      labelNames: ['target', 'result'],
      registers,
    });
    this.attempts = new Counter({
      name: 'soc_webhook_attempts_total',
      help: 'Webhook POST attempts by target and outcome (success, http_4xx, http_5xx, redirect, timeout, network).',
      labelNames: ['target', 'outcome'],
      registers,
    });
    this.seconds = new Histogram({
      name: 'soc_webhook_attempt_duration_seconds',
      help: 'Time per webhook POST attempt.',
      labelNames: ['target'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    if (this.settings.targets.length === 0) {
      return;
    }
    this.dispatcher = new WebhookDispatcher(
      fetchPost,
      {
        maxAttempts: get('WEBHOOK_MAX_ATTEMPTS'),
        retryBaseMs: get('WEBHOOK_RETRY_BASE_MS'),
        timeoutMs: get('WEBHOOK_TIMEOUT_MS'),
        queueMax: get('WEBHOOK_QUEUE_MAX'),
        concurrency: 2,
      },
      {
        attempted: (delivery, outcome, seconds) => this.attempted(delivery, outcome, seconds),
        finished: (delivery, result, attempts) => this.finished(delivery, result, attempts),
      },
    );
    const dispatcher = this.dispatcher;
    new Gauge({
      name: 'soc_webhook_queue_depth',
      help: 'Webhook deliveries waiting, retrying or in flight (bounded by WEBHOOK_QUEUE_MAX).',
      registers,
      collect() {
        this.set(dispatcher.depth);
      },
    });
    this.settings.targets.forEach((_url, index) => {
      for (const result of ['delivered', 'failed', 'dropped']) {
        this.deliveries.inc({ target: String(index + 1), result }, 0);
      }
    });
  }

  onModuleInit(): void {
    if (this.dispatcher !== null) {
      this.memory.observeWrites(this);
      this.logger.log(
        `webhooks on: ${this.settings.targets.length} target(s), ${this.settings.format} bodies, for ${[...this.settings.kinds].join(', ')}`,
      );
    }
  }

  onApplicationShutdown(): void {
    this.dispatcher?.stop();
  }

  /** After a commit (synchronous, cheap): the wanted notices are queued, nothing is awaited. */
  decided(notices: readonly DecisionNotice[]): void {
    for (const notice of notices) {
      if (wanted(notice, this.settings)) {
        this.settings.targets.forEach((url, index) => this.dispatcher?.enqueue(this.delivery(notice, url, index + 1)));
      }
    }
  }

  private delivery(notice: DecisionNotice, url: URL, target: number): Delivery {
    const id = randomUUID();
    const { format, secret } = this.settings;
    return {
      id,
      target,
      url,
      request: () => {
        const now = new Date();
        const body = webhookBody(notice, format, id, now);
        const headers: Record<string, string> = {
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
          'X-SOC-Event': eventType(notice),
          'X-SOC-Delivery': id,
        };
        if (secret !== null) {
          headers[SIGNATURE_HEADER] = signatureHeader(secret, body, Math.floor(now.getTime() / 1000));
        }
        return { body, headers };
      },
    };
  }

  private attempted(delivery: Delivery, outcome: AttemptOutcome, seconds: number): void {
    const target = String(delivery.target);
    this.attempts.inc({ target, outcome });
    this.seconds.observe({ target }, seconds);
  }

  private finished(delivery: Delivery, result: DeliveryResult, attempts: number): void {
    this.deliveries.inc({ target: String(delivery.target), result });
    if (result !== 'delivered') {
      // The target's position, never its URL (a Slack URL is a secret).
      this.logger.warn(`webhook ${delivery.id} to target ${delivery.target} ${result} after ${attempts} attempt(s)`);
    }
  }
}
