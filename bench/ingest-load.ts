/** The requests the ingest benchmarks send: 2,000 actors, each seen many times. */

let sequence = 0;

/**
 * One JSON event: two sshd failures for each web request, as in real traffic and a brute force.
 * `actorBase` shifts the 2,000 actors (another base: other addresses, other /24 networks).
 */
export function jsonEvent(actorBase = 0): Record<string, unknown> {
  sequence += 1;
  const actor = actorBase + (sequence % 2000);
  const ip = `198.51.${actor >> 8}.${actor & 255}`;
  return sequence % 3 === 0
    ? {
        source_ip: ip,
        event_type: 'http_request',
        url: `/products/${sequence}?q=select+a+plan`,
        user_agent: 'Mozilla/5.0',
      }
    : {
        timestamp: new Date().toISOString(),
        host: 'bastion-1',
        message: `Failed password for invalid user u${sequence % 50} from ${ip} port ${1024 + (sequence % 60000)} ssh2`,
      };
}

/** One raw sshd line under a syslog header. */
export function rawSshdLine(): string {
  sequence += 1;
  const actor = sequence % 2000;
  return `Nov 24 10:00:01 bastion-1 sshd[${sequence}]: Failed password for invalid user u${sequence % 50} from 198.51.${actor >> 8}.${actor & 255} port ${1024 + (sequence % 60000)} ssh2`;
}
