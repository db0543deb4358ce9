import { FastifyInstance, FastifyRequest } from 'fastify';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { JsonTooDeepError, MAX_JSON_DEPTH, nestsDeeperThan } from '../untrusted-json';

/** Routes that speak Splunk HEC: their bodies are concatenated JSON, and any content type goes. */
const HEC_PREFIX = '/services/collector';

function httpError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}

function isHec(request: FastifyRequest): boolean {
  return request.url.startsWith(HEC_PREFIX);
}

/** Methods whose body fastify reads (its "bodywith" set); a GET's or HEAD's body is ignored. */
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY']);

/** Whether fastify will read this request's body: the same test it applies before parsing. */
function bodyWillBeRead(request: FastifyRequest): boolean {
  const { headers } = request;
  const empty =
    headers['transfer-encoding'] === undefined &&
    (headers['content-length'] === undefined || headers['content-length'] === '0');
  return METHODS_WITH_BODY.has(request.method) && !empty;
}

/**
 * The decompressed body as a stream: gunzip, then a counter that stops at the body limit.
 * `receivedEncodedLength` tells fastify how many compressed bytes arrived, so its own check
 * against Content-Length compares like with like. Every stream in the chain has an error
 * listener, so corrupt or truncated gzip can only ever fail this request (400), never the
 * process, whether or not anything reads the result.
 */
function gunzipped(payload: NodeJS.ReadableStream, bodyLimit: number): Transform {
  const gunzip = createGunzip();
  let seen = 0;
  const limiter: Transform & { receivedEncodedLength?: number } = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(
        seen > bodyLimit ? httpError(413, `the decompressed body is over ${bodyLimit} bytes (INGEST_MAX_BODY)`) : null,
        chunk,
      );
    },
  });
  limiter.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    limiter.receivedEncodedLength = (limiter.receivedEncodedLength ?? 0) + chunk.length;
  });
  payload.on('error', (error: Error) => gunzip.destroy(error));
  gunzip.on('error', (error: Error & { statusCode?: number }) => {
    limiter.destroy(
      error.statusCode === undefined ? httpError(400, `the body is not valid gzip (${zlibReason(error)})`) : error,
    );
  });
  // Fastify listens too when it reads the body; this one only keeps an unread stream's error
  // from becoming an uncaught exception.
  limiter.on('error', () => undefined);
  return payload.pipe(gunzip).pipe(limiter);
}

const ZLIB_REASONS: Readonly<Record<string, string>> = {
  Z_BUF_ERROR: 'truncated',
  Z_DATA_ERROR: 'corrupt data or wrong header',
};

/** zlib's error code (Z_BUF_ERROR, Z_DATA_ERROR…) in words a client can act on. */
function zlibReason(error: Error & { code?: string }): string {
  return ZLIB_REASONS[error.code ?? ''] ?? 'unreadable';
}

/**
 * Body handling for every route:
 * - `Content-Encoding: gzip` is decompressed as a stream when the body is going to be read;
 *   the body limit applies to the decompressed bytes (a gzip bomb gets 413 after at most
 *   INGEST_MAX_BODY bytes, never an out-of-memory). Other encodings get 415. A body that is
 *   not read (GET, HEAD, no length) is ignored whatever its encoding, as fastify ignores it.
 * - JSON keeps fastify's own parser (prototype-poisoning protection) except on the HEC routes,
 *   which read the text themselves; NDJSON and HEC bodies of any type arrive as text.
 */
export function configureBodyParsing(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === '' || encoding === 'identity' || !bodyWillBeRead(request)) {
      return payload;
    }
    if (encoding !== 'gzip' && encoding !== 'x-gzip') {
      throw httpError(415, `Content-Encoding "${encoding.slice(0, 32)}" is not supported; use gzip`);
    }
    return gunzipped(payload, bodyLimit);
  });

  const defaultJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    if (isHec(request)) {
      done(null, body);
      return;
    }
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(httpError(400, new JsonTooDeepError(MAX_JSON_DEPTH).message), undefined);
      return;
    }
    void defaultJson(request, body as string, done);
  });
  fastify.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit }, (_request, body, done) =>
    done(null, body),
  );
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    if (isHec(request)) {
      done(null, body);
      return;
    }
    done(
      httpError(415, `Content-Type "${String(request.headers['content-type']).slice(0, 64)}" is not supported`),
      undefined,
    );
  });
}
