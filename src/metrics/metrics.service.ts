import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';

/**
 * The application's Prometheus registry. One per application instance (not prom-client's
 * global one), so that two apps in one process (the e2e tests) never share or clash.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  /** The Prometheus text exposition of every registered metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
