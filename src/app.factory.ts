import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureBodyParsing } from './common/http/body-parsing';
import { setUpSwagger } from './common/openapi/openapi';
import { requestIdFor } from './common/logging/log-options';
import { bootLogger, useAppLogger } from './common/logging/logging';
import { Environment } from './config/environment';
import { capConnectionsPerAddress } from './common/http/connection-limits';
import { parseTrustProxy, trustedProxyNetworks } from './config/trust-proxy';
import { useTrustedProxies } from './ingest/parsers/line';
import { loadWebRules, useWebRules } from './ingest/rules/web-detection';
import { SqliteInstanceLock } from './memory/sqlite-instance-lock';
import { HttpMetrics } from './metrics/http-metrics';

function webRulesOf(env: Environment): ReturnType<typeof loadWebRules> {
  try {
    return loadWebRules(env.RULES_DIR);
  } catch (error) {
    throw new Error(`Invalid configuration:\n  RULES_DIR: ${(error as Error).message}`);
  }
}

/** The HTTP application, configured but not listening: used by main.ts and by the e2e tests. */
export async function createApp(env: Environment, options: { logger?: false } = {}): Promise<NestFastifyApplication> {
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  useTrustedProxies(trustedProxyNetworks(env.TRUST_PROXY));
  // The repository's web rules and RULES_DIR's, loaded once; a rule that does not load stops the start.
  useWebRules(webRulesOf(env));
  const adapter = new FastifyAdapter({
    bodyLimit: env.INGEST_MAX_BODY,
    // Node checks these timeouts every connectionsCheckingInterval; fastify's own default
    // for requestTimeout is none, which let a body sent a byte at a time hold a socket forever.
    requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
    http: {
      requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeout: env.HTTP_HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: 1000,
    },
    trustProxy: trustProxy.length > 0 ? trustProxy : false,
    logger: false,
    // One id per request, the client's X-Request-Id if it is sane: in the logs, the answer's header and a 500's body.
    genReqId: (req: IncomingMessage) => requestIdFor(req.headers['x-request-id']),
  });
  const quiet = options.logger === false;
  // Before the store opens (and runs its migrations): one process per SQLite file.
  const instanceLock = env.DATABASE_TYPE === 'sqlite' ? await SqliteInstanceLock.acquire(env.DATABASE_PATH) : null;
  try {
    return await configureApp(env, adapter, quiet, instanceLock);
  } catch (error) {
    await instanceLock?.release();
    throw error;
  }
}

async function configureApp(
  env: Environment,
  adapter: FastifyAdapter,
  quiet: boolean,
  instanceLock: SqliteInstanceLock | null,
): Promise<NestFastifyApplication> {
  const boot = quiet ? { logger: false as const, bufferLogs: false } : bootLogger(env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, { jsonLogs: !quiet && env.LOG_FORMAT === 'json', instanceLock }),
    adapter,
    { ...boot, abortOnError: false, bodyParser: false },
  );
  if (!quiet) {
    useAppLogger(app, env);
  }
  const fastify = app.getHttpAdapter().getInstance();
  configureBodyParsing(fastify, env.INGEST_MAX_BODY);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    done();
  });
  app.get(HttpMetrics).instrument(fastify);
  capConnectionsPerAddress(app.getHttpServer(), env.HTTP_MAX_CONNECTIONS_PER_IP);
  app.enableShutdownHooks();
  setUpSwagger(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
