import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  getMetadataStorage,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidateIf,
  ValidationError,
} from 'class-validator';
import { parseBouncerKeys } from './bouncer-keys';
import { credentialProblems } from './credential-checks';
import { IngestCredential, ingestCredentials } from './ingest-tokens';
import { parseRetention, RETENTION_MINIMUMS, RetentionSetting } from './retention-period';
import { parseRedisUrl } from './redis-url';
import { parseTrustProxy } from './trust-proxy';
import { parseWebhookSettings, WEBHOOK_FORMATS } from './webhook-settings';

export const LLM_PROVIDERS = ['auto', 'mock', 'anthropic'] as const;
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export const LOG_FORMATS = ['text', 'json'] as const;

/**
 * Every environment variable the service reads, with its default. `.env.example` and the
 * README's configuration table describe the same list.
 */
export class Environment {
  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;

  /** Loopback by default: exposing the service is a deliberate act. */
  @IsString() @MinLength(1) HOST: string = '127.0.0.1';

  @IsIn(LOG_LEVELS) LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'log';

  /** `text` (Nest's lines, UTC times) or `json` (one pino object a line, with request ids; credentials redacted). */
  @IsIn(LOG_FORMATS) LOG_FORMAT: (typeof LOG_FORMATS)[number] = 'text';

  @IsIn(['sqlite']) DATABASE_TYPE = 'sqlite' as const;

  @IsString() @MinLength(1) @MaxLength(4096) DATABASE_PATH: string = './data/soc.sqlite';

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(512, { message: 'must be at most 512 characters' })
  SOC_INGEST_TOKEN?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(512, { message: 'must be at most 512 characters' })
  SOC_ADMIN_TOKEN?: string;

  /**
   * Named ingest tokens, `name:token[:limit],…` (see config/ingest-tokens.ts): each name is
   * recorded on the events its token sends; `limit` replaces INGEST_RATE_LIMIT for it. Accepted
   * alongside SOC_INGEST_TOKEN (named "default"), so a key can be rotated with both valid.
   */
  @IsOptional() @IsString() @MaxLength(40_000) SOC_INGEST_TOKENS?: string;

  /** `production` refuses to start without ingest and admin credentials (unless ALLOW_OPEN). */
  @IsOptional() @IsString() @MaxLength(64) NODE_ENV?: string;

  /** `true`: run without credentials in production, on purpose (e.g. behind an authenticating proxy). */
  @IsIn(['true', 'false'], { message: 'must be true or false' }) ALLOW_OPEN: 'true' | 'false' = 'false';

  /** Failed authentications per minute per client address before 429 (tokens are then not even compared). */
  @IsInt() @Min(1) @Max(100_000) AUTH_FAILURE_LIMIT: number = 20;

  /**
   * Comma-separated API keys of CrowdSec bouncers (X-Api-Key on /v1/decisions), each at least
   * 16 characters. Unset: those routes are closed. Never printed.
   */
  @IsOptional() @IsString() @MaxLength(40_000) BOUNCER_API_KEYS?: string;

  @IsInt() @Min(1) @Max(1_000_000) INGEST_RATE_LIMIT: number = 500;

  /**
   * `redis://[user:password@]host[:port][/db]` (or `rediss://`): the rate-limit counters live
   * there, shared by every instance. Unset: each instance counts alone. Never printed.
   */
  @IsOptional() @IsString() @MaxLength(4096) REDIS_URL?: string;

  /** Prepended to every Redis key this service writes (several services can share one Redis). */
  @IsString()
  @Matches(/^[A-Za-z0-9:_.-]{0,64}$/, { message: 'must be at most 64 letters, digits or : _ . -' })
  REDIS_KEY_PREFIX: string = 'soc:';

  /** Bytes; the largest request body accepted on any route. */
  @IsInt() @Min(1024) @Max(256 * 1024 * 1024) INGEST_MAX_BODY: number = 1024 * 1024;

  @IsInt() @Min(1) @Max(100_000) INGEST_MAX_BATCH: number = 10_000;

  /** Longest time to receive a whole request, headers and body (a slow-body sender is cut off). */
  @IsInt() @Min(1000) @Max(3_600_000) HTTP_REQUEST_TIMEOUT_MS: number = 30_000;

  /** Longest time to receive a request's headers. */
  @IsInt() @Min(1000) @Max(3_600_000) HTTP_HEADERS_TIMEOUT_MS: number = 10_000;

  /** Open HTTP connections per client address (the socket's, not X-Forwarded-For); 0 = no cap. */
  @IsInt() @Min(0) @Max(1_000_000) HTTP_MAX_CONNECTIONS_PER_IP: number = 128;

  /** Events accepted but not yet committed beyond which ingest answers 503 (backpressure). */
  @IsInt() @Min(1000) @Max(10_000_000) INGEST_MAX_PENDING: number = 200_000;

  /** Comma-separated addresses or CIDRs of the reverse proxies whose X-Forwarded-For is believed. */
  @IsString()
  @Matches(/^[0-9a-fA-F:.,/ ]*$/, { message: 'must be a comma-separated list of IP addresses or CIDRs' })
  TRUST_PROXY: string = '';

  /**
   * Comma-separated CIDRs or addresses (IPv4 and IPv6) never blocked; added to the policy's
   * allowlist. Parsed with the policy, once, at start-up (decision/policy-settings.ts).
   */
  @IsString() @MaxLength(65_536) ALLOWLIST_CIDRS: string = '';

  /**
   * Host-name actors (PAM `rhost=`, sshd under UseDNS). `false` (default): no DNS query is ever
   * made; a host-name actor is alerted on, never blocked. `true`: a block on one is recorded on
   * the addresses the name resolves to (node:dns lookup, /etc/hosts included; timeout and cache
   * in decision/host-resolver.ts).
   */
  @IsIn(['true', 'false']) RESOLVE_HOSTNAMES: 'true' | 'false' = 'false';

  /**
   * A folder of extra web detection rules (Sigma YAML, see rules/web and the README), loaded with
   * the repository's; a rule that does not load stops the start with its file, line and reason
   * (loaded once, by createApp).
   */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(4096) RULES_DIR?: string;

  /**
   * A policy file (YAML or JSON) used instead of policy/default.yaml; read and validated once at
   * start-up by decision/policy-settings.ts (a bad one stops the start).
   */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(4096) POLICY_FILE?: string;

  /** Syslog listeners: off unless a port is given (0 = any free port, for tests). */
  @IsOptional() @IsInt() @Min(0) @Max(65535) SYSLOG_TCP_PORT?: number;
  @IsOptional() @IsInt() @Min(0) @Max(65535) SYSLOG_UDP_PORT?: number;
  @IsString() @MinLength(1) SYSLOG_HOST: string = '127.0.0.1';
  /** Bytes; a larger TCP frame closes the connection, a larger datagram is dropped. */
  @IsInt() @Min(480) @Max(1024 * 1024) SYSLOG_MAX_MESSAGE: number = 65_536;
  @IsInt() @Min(1) @Max(100_000) SYSLOG_MAX_CONNECTIONS: number = 256;
  @IsInt() @Min(1) @Max(100_000) SYSLOG_MAX_CONNECTIONS_PER_IP: number = 16;
  @IsInt() @Min(1000) @Max(86_400_000) SYSLOG_IDLE_TIMEOUT_MS: number = 300_000;

  /**
   * Splunk HEC indexer acknowledgement: when on, HEC requests must name a channel
   * (X-Splunk-Request-Channel, a GUID) and answers carry an ackId for /services/collector/ack.
   */
  @IsIn(['true', 'false']) HEC_ACK: 'true' | 'false' = 'false';
  /** Ack channels kept at once; a new one beyond it (none idle 10 minutes) gets 503 Server is busy. */
  @IsInt() @Min(1) @Max(1_000_000) HEC_ACK_MAX_CHANNELS: number = 1000;
  /** Acks not yet queried kept per channel; beyond it the oldest read false (the client resends). */
  @IsInt() @Min(1) @Max(10_000_000) HEC_ACK_MAX_PENDING: number = 1_000_000;

  /**
   * Retention (`30d`, `12h`, `90m`, `1d12h`, or `off`): events and verdicts older than
   * EVENT_RETENTION (by event time, and by when the verdict was made) are purged, and actors
   * quiet for that long with no offence; decisions that ended longer than DECISION_RETENTION
   * ago (never one in force); audit rows and feedback older than AUDIT_RETENTION.
   */
  @IsString() @MaxLength(32) EVENT_RETENTION: string = '30d';
  @IsString() @MaxLength(32) DECISION_RETENTION: string = '365d';
  @IsString() @MaxLength(32) AUDIT_RETENTION: string = '365d';

  @IsIn(LLM_PROVIDERS) LLM_PROVIDER: (typeof LLM_PROVIDERS)[number] = 'auto';

  /** Required with LLM_PROVIDER=anthropic; with auto, its presence turns Claude on. Never printed. */
  @ValidateIf((env: Environment) => env.LLM_PROVIDER === 'anthropic' || env.ANTHROPIC_API_KEY !== undefined)
  @IsDefined({ message: 'is required when LLM_PROVIDER=anthropic' })
  @IsString()
  @MinLength(1)
  ANTHROPIC_API_KEY?: string;

  /** A current fast model (the Haiku line); see the SDK's `Model` type for the known ids. */
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/, { message: 'must be a model id' })
  ANTHROPIC_MODEL: string = 'claude-haiku-5-5';

  /** The Messages API host: https, or http only to a loopback gateway (tests, local proxies). */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true },
    { message: 'must be an http(s) URL' },
  )
  ANTHROPIC_BASE_URL: string = 'https://api.anthropic.com';

  /** One API attempt; the review then retries or falls back to the heuristic. */
  @IsInt() @Min(100) @Max(600_000) LLM_TIMEOUT_MS: number = 20_000;

  /** Actors waiting for review; beyond it a review is dropped (counted) and the heuristic stands. */
  @IsInt() @Min(1) @Max(1_000_000) LLM_QUEUE_MAX: number = 1000;

  @IsInt() @Min(1) @Max(64) LLM_CONCURRENCY: number = 2;

  /** API attempts (retries included) per rolling minute. */
  @IsInt() @Min(1) @Max(100_000) LLM_MAX_CALLS_PER_MINUTE: number = 60;

  /** Retries of one review after a timeout, 429, 529 or 5xx. */
  @IsInt() @Min(0) @Max(10) LLM_MAX_RETRIES: number = 2;

  /** First backoff; doubled per retry (with jitter), unless the API's retry-after says otherwise. */
  @IsInt() @Min(1) @Max(60_000) LLM_RETRY_BASE_MS: number = 1000;

  /** Consecutive failed calls that open the circuit breaker. */
  @IsInt() @Min(1) @Max(1000) LLM_BREAKER_THRESHOLD: number = 5;

  /** How long the open breaker refuses calls before one trial call. */
  @IsInt() @Min(1000) @Max(3_600_000) LLM_BREAKER_COOLDOWN_MS: number = 60_000;

  /**
   * Webhooks on new decisions: comma-separated URLs (https, or http to loopback), at most 8.
   * Unset: off, no outbound connection. A URL may itself be a secret (Slack's): never printed.
   */
  @IsOptional() @IsString() @MaxLength(16_384) WEBHOOK_URLS?: string;

  /** HMAC-SHA256 key for X-SOC-Signature; required with WEBHOOK_FORMAT=json. Never printed. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(512, { message: 'must be at most 512 characters' })
  WEBHOOK_SECRET?: string;

  /** Which new decisions notify: block, alert, monitor, allow (in force) and pending (awaiting approval). */
  @IsString() @MaxLength(256) WEBHOOK_ACTIONS: string = 'block,alert,pending';

  /** Rule ids that notify (comma-separated); empty: every rule. */
  @IsString() @MaxLength(4096) WEBHOOK_RULES: string = '';

  /** `json` (our signed document) or `slack` (a Slack incoming-webhook message). */
  @IsIn(WEBHOOK_FORMATS) WEBHOOK_FORMAT: (typeof WEBHOOK_FORMATS)[number] = 'json';

  @IsInt() @Min(100) @Max(60_000) WEBHOOK_TIMEOUT_MS: number = 5000;
  @IsInt() @Min(1) @Max(20) WEBHOOK_MAX_ATTEMPTS: number = 6;
  /** First retry delay; doubled per attempt, with jitter, capped at 5 minutes. */
  @IsInt() @Min(10) @Max(600_000) WEBHOOK_RETRY_BASE_MS: number = 2000;
  /** Deliveries waiting or retrying; beyond it a notification is dropped (counted). */
  @IsInt() @Min(1) @Max(100_000) WEBHOOK_QUEUE_MAX: number = 1000;
}

/** Turns "" into undefined so that an empty line in .env means "unset". */
function withoutEmpty(raw: Record<string, unknown>): Record<string, unknown> {
  const known = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(Environment, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (known.has(key) && value !== '' && value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

function describe(errors: ValidationError[]): string {
  return errors
    .map((error) => {
      const reasons = Object.values(error.constraints ?? {}).map((text) =>
        // class-validator messages start with the property name; keep only the reason.
        text.startsWith(error.property) ? text.slice(error.property.length).trim() : text,
      );
      return `  ${error.property}: ${reasons.join('; ')}`;
    })
    .join('\n');
}

/** The API key travels in a header: only over TLS, or to a gateway on this machine. */
function secureOrLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

function parsed<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`Invalid configuration:\n  ${variable}: ${(error as Error).message}`);
  }
}

/** Token lists parse; production has credentials; no secret serves two roles. Messages name variables only. */
function checkCredentials(env: Environment): void {
  const bouncerKeys =
    env.BOUNCER_API_KEYS === undefined
      ? []
      : parsed('BOUNCER_API_KEYS', () => parseBouncerKeys(env.BOUNCER_API_KEYS as string));
  const ingest: IngestCredential[] = parsed('SOC_INGEST_TOKENS', () =>
    ingestCredentials(env.SOC_INGEST_TOKEN, env.SOC_INGEST_TOKENS),
  );
  const problems = credentialProblems({
    production: env.NODE_ENV === 'production',
    allowOpen: env.ALLOW_OPEN === 'true',
    ingest,
    admin: env.SOC_ADMIN_TOKEN,
    bouncerKeys,
  });
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

/** Each retention setting is a period above its floor (see config/retention-period.ts). */
function checkRetention(env: Environment): void {
  for (const setting of Object.keys(RETENTION_MINIMUMS) as RetentionSetting[]) {
    try {
      parseRetention(env[setting], RETENTION_MINIMUMS[setting]);
    } catch (error) {
      throw new Error(`Invalid configuration:\n  ${setting}: ${(error as Error).message}`);
    }
  }
}

/** The `validate` hook of ConfigModule: a bad value stops the start with a readable message. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, withoutEmpty(raw), { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length === 0 && env.TRUST_PROXY !== '') {
    try {
      parseTrustProxy(env.TRUST_PROXY);
    } catch (error) {
      throw new Error(`Invalid configuration:\n  TRUST_PROXY: ${(error as Error).message}`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`Invalid configuration:\n${describe(errors)}`);
  }
  checkCredentials(env);
  checkRetention(env);
  if (env.REDIS_URL !== undefined) {
    parsed('REDIS_URL', () => parseRedisUrl(env.REDIS_URL as string));
  }
  try {
    parseWebhookSettings(env);
  } catch (error) {
    throw new Error(`Invalid configuration:\n  ${(error as Error).message}`);
  }
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    throw new Error('Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not be over HTTP_REQUEST_TIMEOUT_MS');
  }
  if (!secureOrLoopback(env.ANTHROPIC_BASE_URL)) {
    throw new Error('Invalid configuration:\n  ANTHROPIC_BASE_URL: must use https unless the host is loopback');
  }
  return env;
}
