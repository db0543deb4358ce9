import net from 'node:net';

export interface ConnectAttempt {
  host: string;
  port: number | null;
  loopback: boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1']);

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/i, '');
  return LOOPBACK_NAMES.has(bare.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Socket#connect's argument forms: (options), (port, host), (path), or net's internal [options, cb]. */
function targetOf(args: unknown[]): ConnectAttempt {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; port?: number | string; path?: string };
    if (typeof options.path === 'string') {
      return { host: `unix:${options.path}`, port: null, loopback: true };
    }
    const host = options.host ?? 'localhost';
    return { host, port: options.port === undefined ? null : Number(options.port), loopback: isLoopback(host) };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) {
    return { host: `unix:${first}`, port: null, loopback: true };
  }
  const host = typeof args[1] === 'string' ? args[1] : 'localhost';
  return { host, port: Number(first), loopback: isLoopback(host) };
}

/**
 * Records every outbound TCP/TLS connection the process attempts (net.connect, tls.connect,
 * http(s) agents and undici/fetch all end in net.Socket#connect) and refuses, without sending
 * a packet, any that is not to loopback. `restore()` puts the original back.
 */
export function auditConnections(): { attempts: ConnectAttempt[]; outside(): ConnectAttempt[]; restore(): void } {
  const attempts: ConnectAttempt[] = [];
  const original = net.Socket.prototype.connect;
  const patched = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const target = targetOf(args);
    attempts.push(target);
    if (!target.loopback) {
      process.nextTick(() => this.destroy(new Error(`connection to ${target.host} refused by the audit`)));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  net.Socket.prototype.connect = patched;
  return {
    attempts,
    outside: () => attempts.filter((a) => !a.loopback),
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
