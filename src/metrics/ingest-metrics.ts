import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { TaggedEvent } from '../ingest/event';
import { INGEST_SOURCES, IngestTally } from '../ingest/ingest-tally';
import { LINE_FORMATS } from '../ingest/parsers/formats';
import { SIGNALS } from '../ingest/signals/signal';
import { MetricsService } from './metrics.service';

export const SYSLOG_TRANSPORTS = ['tcp', 'udp'] as const;
export type SyslogTransport = (typeof SYSLOG_TRANSPORTS)[number];

/**
 * What arrives: records received, parsed (by format) and refused (by format and reason), by
 * the route or listener they came through; signals tagged; the syslog listeners' counters.
 * Counted once per request from an IngestTally, so the hot path adds numbers, not metric calls.
 */
@Injectable()
export class IngestMetrics {
  private readonly received: Counter<'source'>;
  private readonly parsed: Counter<'source' | 'format'>;
  private readonly unparsed: Counter<'source' | 'format' | 'reason'>;
  private readonly signals: Counter<'signal'>;
  private readonly signalCounts = new Float64Array(SIGNALS.length);
  private readonly signalIndex = new Map<string, number>(SIGNALS.map((signal, index) => [signal, index]));
  private readonly syslogMessages: Counter<'transport'>;
  private readonly syslogOversized: Counter<'transport'>;
  private readonly syslogConnections: Counter;
  private readonly syslogRefused: Counter;
  private readonly syslogStoreFailures: Counter<'transport'>;
  private openSyslog: () => number = () => 0;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.received = new Counter({
      name: 'soc_ingest_records_received_total',
      help: 'Records (JSON records, raw lines, HEC events, syslog messages) read, by where they came in.',
      labelNames: ['source'],
      registers,
    });
    this.parsed = new Counter({
      name: 'soc_ingest_records_parsed_total',
      help: 'Records read into an event, by source and format (json, or the line format).',
      labelNames: ['source', 'format'],
      registers,
    });
    this.unparsed = new Counter({
      name: 'soc_ingest_records_unparsed_total',
      help: 'Records refused, by source, format (unknown before detection) and reason.',
      labelNames: ['source', 'format', 'reason'],
      registers,
    });
    const counts = this.signalCounts;
    this.signals = new Counter({
      name: 'soc_signals_total',
      help: 'Signals tagged on events accepted for writing, by signal.',
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
    this.syslogMessages = counter('soc_syslog_messages_total', 'Syslog messages received, by transport.', registers, [
      'transport',
    ]);
    this.syslogOversized = counter(
      'soc_syslog_oversized_total',
      'Syslog messages over SYSLOG_MAX_MESSAGE (dropped), by transport.',
      registers,
      ['transport'],
    );
    this.syslogConnections = counter('soc_syslog_connections_total', 'Syslog TCP connections accepted.', registers);
    this.syslogRefused = counter(
      'soc_syslog_connections_refused_total',
      'Syslog TCP connections refused (SYSLOG_MAX_CONNECTIONS_PER_IP).',
      registers,
    );
    this.syslogStoreFailures = counter(
      'soc_syslog_store_failures_total',
      'Syslog events parsed but not stored (write failed or refused), by transport.',
      registers,
      ['transport'],
    );
    const open = (): number => this.openSyslog();
    new Gauge({
      name: 'soc_syslog_open_connections',
      help: 'Syslog TCP connections open now.',
      registers,
      collect() {
        this.set(open());
      },
    });
    INGEST_SOURCES.forEach((source) => this.received.inc({ source }, 0));
    SYSLOG_TRANSPORTS.forEach((transport) => {
      this.syslogMessages.inc({ transport }, 0);
      this.syslogOversized.inc({ transport }, 0);
      this.syslogStoreFailures.inc({ transport }, 0);
    });
  }

  /** One request's (or syslog read's) records. */
  ingested(tally: IngestTally): void {
    if (tally.received === 0) {
      return;
    }
    const source = tally.source;
    this.received.inc({ source }, tally.received);
    for (const [format, count] of tally.parsed) {
      this.parsed.inc({ source, format: knownFormat(format) }, count);
    }
    for (const [format, byReason] of tally.unparsed) {
      for (const [reason, count] of byReason) {
        this.unparsed.inc({ source, format: knownFormat(format), reason }, count);
      }
    }
  }

  /** Signals of events about to be written. */
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
    (accepted ? this.syslogConnections : this.syslogRefused).inc();
  }

  syslogNotStored(transport: SyslogTransport, events: number): void {
    this.syslogStoreFailures.inc({ transport }, events);
  }
}

const FORMATS = new Set<string>(['json', 'unknown', ...LINE_FORMATS]);

/** Formats come from the parsers' own list; anything else would be a bug, kept bounded anyway. */
function knownFormat(format: string): string {
  return FORMATS.has(format) ? format : 'unknown';
}

function counter<L extends string>(
  name: string,
  help: string,
  registers: Registry[],
  labelNames: L[] = [],
): Counter<L> {
  return new Counter<L>({ name, help, labelNames, registers });
}
