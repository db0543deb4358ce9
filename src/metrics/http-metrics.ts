import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from './metrics.service';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * HTTP requests by method, route and status, with latency. The route is fastify's route
 * pattern (`/actors/:key`), never the URL: a scan of random paths is one `unmatched` series.
 */
@Injectable()
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly seconds: Histogram<'method' | 'route' | 'status'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    const labelNames = ['method', 'route', 'status'] as const;
    this.requests = new Counter({
      name: 'soc_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames,
      registers,
    });
    this.seconds = new Histogram({
      name: 'soc_http_request_duration_seconds',
      help: 'Time from request to the end of the answer, by method, route pattern and status code.',
      labelNames,
      buckets: SECONDS_BUCKETS,
      registers,
    });
  }

  /** Counts every answer fastify sends, matched to a route or not. */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: METHODS.has(request.method) ? request.method : 'OTHER',
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      };
      this.requests.inc(labels);
      this.seconds.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  }
}
