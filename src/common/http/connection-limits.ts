import type { Server } from 'node:http';
import { ConnectionCap } from '../net/connection-cap';

const REFUSAL_BODY = JSON.stringify({
  statusCode: 429,
  error: 'Too Many Requests',
  message: 'too many open connections from this address (HTTP_MAX_CONNECTIONS_PER_IP)',
});

/** The whole answer to a connection over the cap, written before its request is read. */
const REFUSAL = [
  'HTTP/1.1 429 Too Many Requests',
  'Content-Type: application/json; charset=utf-8',
  `Content-Length: ${Buffer.byteLength(REFUSAL_BODY)}`,
  'Retry-After: 1',
  'Connection: close',
  '',
  REFUSAL_BODY,
].join('\r\n');

/**
 * Caps open connections per client address on the HTTP server: a connection over the cap
 * gets a 429 and is closed at once, so its sender learns why instead of seeing a reset.
 */
export function capConnectionsPerAddress(server: Server, perAddress: number): void {
  if (perAddress === 0) {
    return;
  }
  const cap = new ConnectionCap(perAddress);
  server.on('connection', (socket) => {
    if (!cap.admit(socket)) {
      socket.on('error', () => socket.destroy());
      socket.end(REFUSAL);
    }
  });
}
