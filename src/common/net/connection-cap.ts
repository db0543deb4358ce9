import type { Socket } from 'node:net';

/**
 * Open TCP connections per peer address, with a ceiling: one sender cannot take every socket
 * of a listener (a slow-body or idle-connection flood from one machine). Counted from the
 * socket's own peer address; behind a proxy every connection is the proxy's.
 */
export class ConnectionCap {
  private readonly open = new Map<string, number>();

  /** `perAddress` of 0 means no ceiling (connections are still counted). */
  constructor(private readonly perAddress: number) {}

  /**
   * Admits the socket and releases its place when it closes, or refuses it: the caller then
   * destroys it. An address's count is forgotten when it drops to zero, so memory follows
   * open connections, not every address ever seen.
   */
  admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? 'unknown';
    const count = this.open.get(address) ?? 0;
    if (this.perAddress > 0 && count >= this.perAddress) {
      return false;
    }
    this.open.set(address, count + 1);
    socket.once('close', () => {
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) {
        this.open.delete(address);
      } else {
        this.open.set(address, left);
      }
    });
    return true;
  }

  /** Connections open now, all addresses together. */
  get total(): number {
    let sum = 0;
    for (const count of this.open.values()) {
      sum += count;
    }
    return sum;
  }
}
