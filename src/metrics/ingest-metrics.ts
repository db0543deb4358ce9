import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { FAILURE_KINDS, ItemStatus } from '../ingest/outcome/item-outcome';
import { MetricsService } from './metrics.service';

/** The ingest routes whose items are counted (the label values of `route`). */
export const INGEST_ROUTES = ['ingest_batch', 'ingest_raw', 'hec_event', 'hec_raw'] as const;
export type IngestRoute = (typeof INGEST_ROUTES)[number];

/**
 * What became of the items of well-formed ingest requests. Unparsed and rejected items are
 * acknowledged and not stored: these counters are where an operator sees them (by route, the
 * format they were read as, and a fixed reason kind; never their text).
 */
@Injectable()
export class IngestMetrics {
  private readonly items: Counter<'route' | 'status'>;
  private readonly unusable: Counter<'route' | 'format' | 'reason'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.items = new Counter({
      name: 'soc_ingest_items_total',
      help: 'Items (records, lines, HEC events) of well-formed ingest requests, by route and what became of them.',
      labelNames: ['route', 'status'],
      registers,
    });
    this.unusable = new Counter({
      name: 'soc_ingest_unusable_total',
      help: 'Items acknowledged but not stored (unparsed or rejected), by route, format read as, and reason kind.',
      labelNames: ['route', 'format', 'reason'],
      registers,
    });
    for (const route of INGEST_ROUTES) {
      for (const status of ['accepted', 'unparsed', 'rejected'] as const) {
        this.items.inc({ route, status }, 0);
      }
    }
  }

  count(route: IngestRoute, status: ItemStatus, amount = 1): void {
    if (amount > 0) {
      this.items.inc({ route, status }, amount);
    }
  }

  unusableItem(route: IngestRoute, format: string, reason: (typeof FAILURE_KINDS)[number]): void {
    this.unusable.inc({ route, format, reason });
  }
}
