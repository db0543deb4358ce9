/** One accepted ingest credential: its name is recorded on the events it sends; the token is secret. */
export interface IngestCredential {
  /** Not secret: stored on events (`ingest_source`), logged, shown to admins. */
  name: string;
  token: string;
  /** Requests per minute per client address for this token; INGEST_RATE_LIMIT when absent. */
  limit?: number;
}

/** The name SOC_INGEST_TOKEN (the single, older form) is recorded under. */
export const DEFAULT_TOKEN_NAME = 'default';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TOKEN = /^[\x21-\x7e]{16,512}$/;
const MAX_TOKENS = 64;
export const MAX_TOKEN_LIMIT = 1_000_000;

/**
 * SOC_INGEST_TOKENS: comma-separated `name:token` or `name:token:limit` entries, e.g.
 * `edge-syslog:3kP…Q:5000,siem:Zt9…w`. Tokens are 16 to 512 printable ASCII characters
 * without spaces, commas or colons. Errors name the entry by position and name, never its token.
 */
export function parseIngestTokens(value: string): IngestCredential[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length > MAX_TOKENS) {
    throw new Error(`at most ${MAX_TOKENS} tokens`);
  }
  return entries.map((entry, index) => parseEntry(entry, `entry ${index + 1} of ${entries.length}`));
}

function parseEntry(entry: string, where: string): IngestCredential {
  const parts = entry.split(':');
  if (parts.length < 2 || parts.length > 3) {
    throw new Error(`${where} must be name:token or name:token:limit (a token cannot hold ':' or ',')`);
  }
  const [name, token, limitText] = parts;
  if (!NAME.test(name)) {
    throw new Error(
      `${where}: the name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  const which = `${where} ("${name}")`;
  if (!TOKEN.test(token)) {
    throw new Error(`${which}: the token must be 16 to 512 printable ASCII characters without spaces`);
  }
  if (limitText === undefined) {
    return { name, token };
  }
  const limit = /^\d{1,7}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= MAX_TOKEN_LIMIT)) {
    throw new Error(`${which}: the limit must be a whole number of requests per minute, 1 to ${MAX_TOKEN_LIMIT}`);
  }
  return { name, token, limit };
}

/**
 * Every accepted ingest credential: SOC_INGEST_TOKEN as "default", then SOC_INGEST_TOKENS.
 * Names and tokens must be unique (two tokens for one name would hide which one was used).
 */
export function ingestCredentials(single: string | undefined, list: string | undefined): IngestCredential[] {
  const credentials = [
    ...(single === undefined ? [] : [{ name: DEFAULT_TOKEN_NAME, token: single }]),
    ...(list === undefined ? [] : parseIngestTokens(list)),
  ];
  credentials.forEach((credential, index) => {
    const first = credentials.findIndex((other) => other.name === credential.name);
    if (first !== index) {
      const hint = credential.name === DEFAULT_TOKEN_NAME ? ' ("default" is SOC_INGEST_TOKEN\'s name)' : '';
      throw new Error(`the name "${credential.name}" is used twice${hint}`);
    }
    const same = credentials.findIndex((other) => other.token === credential.token);
    if (same !== index) {
      throw new Error(`"${credential.name}" has the same token as "${credentials[same].name}"`);
    }
  });
  return credentials;
}
