import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { TaggedEvent } from '../domain/event';
import { FAILURE_KINDS, ItemStatus } from '../domain/item-outcome';
import { SIGNALS } from '../domain/signal';
import { MetricsService } from './metrics.service';

/** The ingest routes and listeners whose items are counted (the label values of `route`). */
export const INGEST_ROUTES = [
  'ingest_one',
  'ingest_batch',
  'ingest_raw',
  'hec_event',
  'hec_raw',
  'syslog_tcp',
  'syslog_udp',
] as const;
export type IngestRoute = (typeof INGEST_ROUTES)[number];

export const SYSLOG_TRANSPORTS = ['tcp', 'udp'] as const;
export type SyslogTransport = (typeof SYSLOG_TRANSPORTS)[number];

/**
 * What became of the items of ingest requests and syslog messages. Unparsed and rejected
 * items are not stored: these counters are where an operator sees them (by route, the format
 * they were read as, and a fixed reason kind; never their text). Also the signals tagged on
 * what is written, and the syslog listeners' own counters.
 */
@Injectable()
export class IngestMetrics {
  private readonly items: Counter<'route' | 'status'>;
  private readonly unusable: Counter<'route' | 'format' | 'reason'>;
  private readonly signalCounts = new Float64Array(SIGNALS.length);
  private readonly signalIndex = new Map<string, number>(SIGNALS.map((signal, index) => [signal, index]));
  private readonly syslogMessages: Counter<'transport'>;
  private readonly syslogOversized: Counter<'transport'>;
  private readonly syslogConnections: Counter<'result'>;
  private readonly syslogStoreFailures: Counter<'transport'>;
  private openSyslog: () => number = () => 0;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.items = new Counter({
      name: 'soc_ingest_items_total',
      help: 'Items (records, lines, HEC events, syslog messages) by route and what became of them.',
      labelNames: ['route', 'status'],
      registers,
    });
    this.unusable = new Counter({
      name: 'soc_ingest_unusable_total',
      help: 'Items not stored (unparsed or rejected), by route, format read as, and reason kind.',
      labelNames: ['route', 'format', 'reason'],
      registers,
    });
    const counts = this.signalCounts;
    new Counter({
      name: 'soc_signals_total',
      help: 'Signals tagged on events handed to the writer, by signal.',
      labelNames: ['signal'],
      registers,
      collect() {
        // Counted in a typed array on the hot path; moved into the counter at scrape time.
        SIGNALS.forEach((signal, index) => {
          this.inc({ signal }, counts[index]);
          counts[index] = 0;
        });
      },
    });
    const byTransport = { labelNames: ['transport'] as 'transport'[], registers };
    this.syslogMessages = new Counter({
      name: 'soc_syslog_messages_total',
      help: 'Syslog messages received, by transport.',
      ...byTransport,
    });
    this.syslogOversized = new Counter({
      name: 'soc_syslog_oversized_total',
      help: 'Syslog messages over SYSLOG_MAX_MESSAGE (dropped), by transport.',
      ...byTransport,
    });
    this.syslogStoreFailures = new Counter({
      name: 'soc_syslog_store_failures_total',
      help: 'Syslog events parsed but not stored (the write failed), by transport.',
      ...byTransport,
    });
    this.syslogConnections = new Counter({
      name: 'soc_syslog_connections_total',
      help: 'Syslog TCP connections, accepted or refused (SYSLOG_MAX_CONNECTIONS_PER_IP).',
      labelNames: ['result'],
      registers,
    });
    const open = (): number => this.openSyslog();
    new Gauge({
      name: 'soc_syslog_open_connections',
      help: 'Syslog TCP connections open now.',
      registers,
      collect() {
        this.set(open());
      },
    });
    for (const route of INGEST_ROUTES) {
      for (const status of ['accepted', 'unparsed', 'rejected'] as const) {
        this.items.inc({ route, status }, 0);
      }
    }
    for (const transport of SYSLOG_TRANSPORTS) {
      this.syslogMessages.inc({ transport }, 0);
      this.syslogOversized.inc({ transport }, 0);
      this.syslogStoreFailures.inc({ transport }, 0);
    }
    ['accepted', 'refused'].forEach((result) => this.syslogConnections.inc({ result }, 0));
  }

  count(route: IngestRoute, status: ItemStatus, amount = 1): void {
    if (amount > 0) {
      this.items.inc({ route, status }, amount);
    }
  }

  unusableItem(route: IngestRoute, format: string, reason: (typeof FAILURE_KINDS)[number]): void {
    this.unusable.inc({ route, format, reason });
  }

  /** Signals of events handed to the writer: additions only, nothing allocated. */
  tagged(events: readonly TaggedEvent[]): void {
    for (const event of events) {
      for (const signal of event.signals) {
        const index = this.signalIndex.get(signal);
        if (index !== undefined) {
          this.signalCounts[index] += 1;
        }
      }
    }
  }

  /** The syslog listener's open connections, read at scrape time. */
  watchSyslog(openConnections: () => number): void {
    this.openSyslog = openConnections;
  }

  syslogReceived(transport: SyslogTransport, messages: number): void {
    this.syslogMessages.inc({ transport }, messages);
  }

  syslogTooLarge(transport: SyslogTransport, messages: number): void {
    if (messages > 0) {
      this.syslogOversized.inc({ transport }, messages);
    }
  }

  syslogConnection(accepted: boolean): void {
    this.syslogConnections.inc({ result: accepted ? 'accepted' : 'refused' });
  }

  syslogNotStored(transport: SyslogTransport, events: number): void {
    this.syslogStoreFailures.inc({ transport }, events);
  }
}
