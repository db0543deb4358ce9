import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { Environment } from '../../config/environment';

/** Nest's level names → pino's. */
const PINO_LEVELS: Record<Environment['LOG_LEVEL'], string> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Never written, whatever a serializer or a log call puts in: the credential headers (the
 * ingest and admin tokens, the bouncer key, HEC's `Splunk <token>` in Authorization), cookies,
 * and any field named like a secret.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-soc-token"]',
  'req.headers["x-soc-admin-token"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
];

/** The request headers a log line keeps: enough to tell clients apart, none that carries a credential. */
const LOGGED_HEADERS = ['user-agent', 'content-type', 'content-length', 'content-encoding'];

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The id of a request: the client's (or proxy's) X-Request-Id when it is a short token of
 * safe characters, else a new UUID; echoed in the answer's X-Request-Id.
 */
export function requestIdFor(presented: string | string[] | undefined): string {
  return typeof presented === 'string' && REQUEST_ID.test(presented) ? presented : randomUUID();
}

/** 5xx are errors, 4xx (failed authentication among them) warnings, the rest debug: a busy ingest stays quiet. */
export function requestLogLevel(status: number, error?: Error): 'error' | 'warn' | 'debug' {
  if (error !== undefined || status >= 500) {
    return 'error';
  }
  return status >= 400 ? 'warn' : 'debug';
}

/** pino-http's options for LOG_FORMAT=json: one JSON object a line, UTC ISO times, request ids, secrets redacted. */
export function pinoHttpOptions(level: Environment['LOG_LEVEL']): Options {
  return {
    level: PINO_LEVELS[level],
    timestamp: stdTimeFunctions.isoTime,
    base: { service: 'soc-triage' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // fastify gives every request its id first (app.factory.ts); this serves only a request it did not.
    genReqId: (req: IncomingMessage) => requestIdFor(req.headers['x-request-id']),
    formatters: { level: (label) => ({ level: label }) },
    customLogLevel: (_req, res, error) => requestLogLevel(res.statusCode, error),
    serializers: {
      req: (req: {
        id: unknown;
        method: string;
        url: string;
        headers: Record<string, unknown>;
        remoteAddress?: string;
      }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
        headers: Object.fromEntries(
          LOGGED_HEADERS.filter((name) => req.headers[name] !== undefined).map((name) => [name, req.headers[name]]),
        ),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
