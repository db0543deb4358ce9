import { FastifyInstance, FastifyRequest } from 'fastify';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Routes that speak Splunk HEC: their bodies are concatenated JSON, and any content type goes. */
const HEC_PREFIX = '/services/collector';

function httpError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}

function isHec(request: FastifyRequest): boolean {
  return request.url.startsWith(HEC_PREFIX);
}

/**
 * Body handling for every route:
 * - `Content-Encoding: gzip` is decompressed as a stream; the body limit applies to the
 *   decompressed bytes (fastify counts what this stream yields), so a gzip bomb gets 413
 *   after at most INGEST_MAX_BODY bytes, never an out-of-memory. Other encodings get 415.
 * - JSON keeps fastify's own parser (prototype-poisoning protection) except on the HEC routes,
 *   which read the text themselves; NDJSON and HEC bodies of any type arrive as text.
 */
export function configureBodyParsing(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === '' || encoding === 'identity') {
      return payload;
    }
    if (encoding !== 'gzip' && encoding !== 'x-gzip') {
      throw httpError(415, `Content-Encoding "${encoding.slice(0, 32)}" is not supported; use gzip`);
    }
    delete request.headers['content-length'];
    const gunzip = createGunzip();
    gunzip.on('error', (error: Error & { statusCode?: number }) => {
      error.statusCode = 400;
      error.message = 'the body is not valid gzip';
    });
    let seen = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        seen += chunk.length;
        callback(
          seen > bodyLimit
            ? httpError(413, `the decompressed body is over ${bodyLimit} bytes (INGEST_MAX_BODY)`)
            : null,
          chunk,
        );
      },
    });
    payload.on('error', (error) => gunzip.destroy(error));
    gunzip.on('error', (error) => limiter.destroy(error));
    return payload.pipe(gunzip).pipe(limiter);
  });

  const defaultJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    if (isHec(request)) {
      done(null, body);
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
