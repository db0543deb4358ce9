import { canonicalIp, ipVersion, ParsedCidr, parseCidr } from '../domain/ip';

/**
 * TRUST_PROXY → the list fastify's `trustProxy` takes. Empty means the socket address is the
 * client, whatever X-Forwarded-For says: a spoofed header neither dodges the rate limit nor
 * frames someone else.
 */
export function parseTrustProxy(value: string): string[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry.includes('/')) {
      parseCidr(entry);
    } else if (canonicalIp(entry) === null) {
      throw new Error(`"${entry}" is not an IP address or CIDR`);
    }
  }
  return entries;
}

/** TRUST_PROXY as networks, for matching addresses written inside log lines (X-Forwarded-For). */
export function trustedProxyNetworks(value: string): ParsedCidr[] {
  return parseTrustProxy(value).map((entry) => {
    if (entry.includes('/')) {
      return parseCidr(entry);
    }
    const ip = canonicalIp(entry) as string;
    return parseCidr(`${ip}/${ipVersion(ip) === 4 ? 32 : 128}`);
  });
}
