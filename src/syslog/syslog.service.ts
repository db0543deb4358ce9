import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Environment } from '../config/environment';
import { arrived, EventSink } from '../ingest/event-sink';
import { NormalisedEvent } from '../domain/event';
import { classifyFailure } from '../ingest/outcome/item-outcome';
import { readLines } from '../ingest/raw-ingest.service';
import { LineStream, newLineStream } from '../ingest/parsers/web-lines';
import { IngestMetrics, SyslogTransport } from '../metrics/ingest-metrics';
import { ConnectionCap } from '../common/net/connection-cap';
import { SyslogFrameDecoder } from './framing';

export interface SyslogCounters {
  connections: number;
  messages: number;
  stored: number;
  rejected: number;
  oversized: number;
  refusedConnections: number;
}

/**
 * Syslog listeners (off unless a port is set): TCP with RFC 6587 framing and UDP, bound to
 * SYSLOG_HOST (loopback by default), feeding the same parsers and writer as HTTP. Limits:
 * message size, connections in all and per address, idle time, and backpressure (a
 * connection is paused while its messages are being written). Syslog has no
 * acknowledgement: use HTTP (HEC or /ingest-log/raw) where every event must be confirmed.
 */
@Injectable()
export class SyslogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyslogService.name);
  private tcp: Server | null = null;
  private udp: UdpSocket | null = null;
  readonly counters: SyslogCounters = {
    connections: 0,
    messages: 0,
    stored: 0,
    rejected: 0,
    oversized: 0,
    refusedConnections: 0,
  };

  private readonly cap: ConnectionCap;

  constructor(
    private readonly sink: EventSink,
    private readonly config: ConfigService<Environment, true>,
    private readonly metrics: IngestMetrics,
  ) {
    this.cap = new ConnectionCap(config.get('SYSLOG_MAX_CONNECTIONS_PER_IP', { infer: true }));
    metrics.watchSyslog(() => this.openConnections);
  }

  async onApplicationBootstrap(): Promise<void> {
    const host = this.config.get('SYSLOG_HOST', { infer: true });
    const tcpPort = this.config.get('SYSLOG_TCP_PORT', { infer: true });
    const udpPort = this.config.get('SYSLOG_UDP_PORT', { infer: true });
    if (tcpPort !== undefined) {
      this.tcp = await this.listenTcp(host, tcpPort);
    }
    if (udpPort !== undefined) {
      this.udp = await this.listenUdp(host, udpPort);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.tcp && new Promise<void>((resolve) => this.tcp?.close(() => resolve())),
      this.udp && new Promise<void>((resolve) => this.udp?.close(() => resolve())),
    ]);
  }

  /** TCP connections open now. */
  get openConnections(): number {
    return this.cap.total;
  }

  /** Where the listeners are bound (a port of 0 in the settings means "any free port"). */
  addresses(): { tcp?: AddressInfo; udp?: AddressInfo } {
    return {
      tcp: (this.tcp?.address() as AddressInfo | null) ?? undefined,
      udp: this.udp?.address(),
    };
  }

  private listenTcp(host: string, port: number): Promise<Server> {
    const maxConnections = this.config.get('SYSLOG_MAX_CONNECTIONS', { infer: true });
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = maxConnections;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        this.logger.log(`syslog TCP listening on ${host}:${(server.address() as AddressInfo).port}`);
        resolve(server);
      });
    });
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    if (!this.cap.admit(socket)) {
      this.counters.refusedConnections += 1;
      this.metrics.syslogConnection(false);
      socket.destroy();
      return;
    }
    this.counters.connections += 1;
    this.metrics.syslogConnection(true);
    socket.setTimeout(this.config.get('SYSLOG_IDLE_TIMEOUT_MS', { infer: true }), () => socket.destroy());
    socket.on('error', () => socket.destroy());
    const decoder = new SyslogFrameDecoder(this.config.get('SYSLOG_MAX_MESSAGE', { infer: true }));
    // One connection is one stream of lines: an IIS #Fields: directive holds for the lines after it.
    const stream = newLineStream();
    socket.on('data', (chunk: Buffer) => {
      const frames = decoder.push(chunk);
      this.counters.oversized += frames.oversized.length;
      this.metrics.syslogTooLarge('tcp', frames.oversized.length);
      if (frames.fatal !== undefined) {
        this.logger.warn(`closing syslog connection from ${address}: ${frames.fatal}`);
        socket.destroy();
      }
      if (frames.messages.length > 0) {
        socket.pause();
        void this.store(frames.messages, 'tcp', stream).finally(() => socket.resume());
      }
    });
  }

  private listenUdp(host: string, port: number): Promise<UdpSocket> {
    const max = this.config.get('SYSLOG_MAX_MESSAGE', { infer: true });
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('message', (message) => {
      if (message.length > max) {
        this.counters.oversized += 1;
        this.metrics.syslogTooLarge('udp', 1);
        return;
      }
      void this.store([message.toString('utf8').replace(/[\r\n\0]+$/, '')], 'udp');
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        this.logger.log(`syslog UDP listening on ${host}:${socket.address().port}`);
        resolve(socket);
      });
    });
  }

  private async store(messages: string[], transport: SyslogTransport, stream?: LineStream): Promise<void> {
    this.counters.messages += messages.length;
    this.metrics.syslogReceived(transport, messages.length);
    const route = transport === 'tcp' ? 'syslog_tcp' : 'syslog_udp';
    const events: NormalisedEvent[] = [];
    const items = readLines(
      messages.map((line) => ({ line })),
      new Date(),
      stream,
    );
    for (const item of items) {
      if (item.parsed.ok) {
        events.push(arrived(item.parsed.event, route, item.format));
        continue;
      }
      this.counters.rejected += 1;
      const failure = classifyFailure(item.parsed.reason);
      this.metrics.count(route, failure.status);
      this.metrics.unusableItem(route, item.format, failure.kind);
    }
    if (events.length === 0) {
      return;
    }
    try {
      await this.sink.storeBatch(events);
      this.counters.stored += events.length;
      this.metrics.count(route, 'accepted', events.length);
    } catch (error) {
      this.counters.rejected += events.length;
      this.metrics.syslogNotStored(transport, events.length);
      this.logger.error(`could not store ${events.length} syslog event(s): ${(error as Error).message}`);
    }
  }
}
