import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { configureBodyParsing } from './common/http/body-parsing';
import { capConnectionsPerAddress } from './common/http/connection-limits';
import { Environment, LOG_LEVELS } from './config/environment';
import { parseTrustProxy } from './config/trust-proxy';

function logLevels(level: Environment['LOG_LEVEL']): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** The HTTP application, configured but not listening: used by main.ts and by the e2e tests. */
export async function createApp(env: Environment, options: { logger?: false } = {}): Promise<NestFastifyApplication> {
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
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
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, {
    logger: options.logger ?? logLevels(env.LOG_LEVEL),
    bufferLogs: false,
    abortOnError: false,
    bodyParser: false,
  });
  configureBodyParsing(app.getHttpAdapter().getInstance(), env.INGEST_MAX_BODY);
  capConnectionsPerAddress(app.getHttpServer(), env.HTTP_MAX_CONNECTIONS_PER_IP);
  app.enableShutdownHooks();
  setUpSwagger(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function setUpSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('SOC triage service')
    .setDescription(
      'Ingests security events, remembers every actor (source address), judges it (Claude or a local heuristic) and publishes block/alert/monitor decisions.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'An ingest token (SOC_INGEST_TOKEN, SOC_INGEST_TOKENS) or SOC_ADMIN_TOKEN',
    })
    .addSecurity('ingest-token', {
      type: 'apiKey',
      in: 'header',
      name: 'X-SOC-Token',
      description: 'SOC_INGEST_TOKEN or one of SOC_INGEST_TOKENS (or Authorization: Bearer)',
    })
    .addSecurity('admin-token', {
      type: 'apiKey',
      in: 'header',
      name: 'X-SOC-Admin-Token',
      description: 'SOC_ADMIN_TOKEN (or Authorization: Bearer)',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
