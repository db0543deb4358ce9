import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Environment } from '../config/environment';
import { EventSink } from '../ingest/event-sink';
import { parseLines } from '../ingest/raw-ingest.service';
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
  ) {
    this.cap = new ConnectionCap(config.get('SYSLOG_MAX_CONNECTIONS_PER_IP', { infer: true }));
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
      socket.destroy();
      return;
    }
    this.counters.connections += 1;
    socket.setTimeout(this.config.get('SYSLOG_IDLE_TIMEOUT_MS', { infer: true }), () => socket.destroy());
    socket.on('error', () => socket.destroy());
    const decoder = new SyslogFrameDecoder(this.config.get('SYSLOG_MAX_MESSAGE', { infer: true }));
    socket.on('data', (chunk: Buffer) => {
      const frames = decoder.push(chunk);
      this.counters.oversized += frames.oversized.length;
      if (frames.fatal !== undefined) {
        this.logger.warn(`closing syslog connection from ${address}: ${frames.fatal}`);
        socket.destroy();
      }
      if (frames.messages.length > 0) {
        socket.pause();
        void this.store(frames.messages).finally(() => socket.resume());
      }
    });
  }

  private listenUdp(host: string, port: number): Promise<UdpSocket> {
    const max = this.config.get('SYSLOG_MAX_MESSAGE', { infer: true });
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('message', (message) => {
      if (message.length > max) {
        this.counters.oversized += 1;
        return;
      }
      void this.store([message.toString('utf8').replace(/[\r\n\0]+$/, '')]);
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        this.logger.log(`syslog UDP listening on ${host}:${socket.address().port}`);
        resolve(socket);
      });
    });
  }

  private async store(messages: string[]): Promise<void> {
    this.counters.messages += messages.length;
    const { events, errors } = parseLines(
      messages.map((line) => ({ line })),
      new Date(),
    );
    this.counters.rejected += errors.length;
    if (events.length === 0) {
      return;
    }
    try {
      await this.sink.storeBatch(events, []);
      this.counters.stored += events.length;
    } catch (error) {
      this.counters.rejected += events.length;
      this.logger.error(`could not store ${events.length} syslog event(s): ${(error as Error).message}`);
    }
  }
}
