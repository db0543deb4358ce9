/** Where the shared rate-limit counters live: what REDIS_URL says, parsed once. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** `rediss:`: TLS to the server. */
  tls: boolean;
}

const MAX_DB = 1_000_000;

/**
 * Parses `redis://[user[:password]@]host[:port][/db]` (or `rediss://` for TLS). Errors name
 * the part that is wrong, never the URL: it may carry a password.
 */
export function parseRedisUrl(raw: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be a URL such as redis://host:6379/0');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error('must start with redis:// or rediss://');
  }
  if (url.hostname === '') {
    throw new Error('must name a host');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new Error('takes no query or fragment (only user, password, host, port and database)');
  }
  const path = url.pathname.replace(/^\//, '');
  if (!/^\d{0,7}$/.test(path) || Number(path) > MAX_DB) {
    throw new Error('the path must be a database index (e.g. /0)');
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    db: path === '' ? 0 : Number(path),
    ...(url.username !== '' && { username: decodeURIComponent(url.username) }),
    ...(url.password !== '' && { password: decodeURIComponent(url.password) }),
    tls: url.protocol === 'rediss:',
  };
}

/** The target as logs may show it: no user name, no password. */
export function describeRedisTarget(target: RedisTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const credentials = target.password !== undefined || target.username !== undefined ? '***@' : '';
  return `${target.tls ? 'rediss' : 'redis'}://${credentials}${host}:${target.port}/${target.db}`;
}
