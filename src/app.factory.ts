import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { configureBodyParsing } from './common/http/body-parsing';
import { Environment, LOG_LEVELS } from './config/environment';
import { parseTrustProxy, trustedProxyNetworks } from './config/trust-proxy';
import { useTrustedProxies } from './ingest/parsers/line';
import { loadWebRules, useWebRules } from './ingest/rules/web-detection';

function logLevels(level: Environment['LOG_LEVEL']): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** The HTTP application, configured but not listening: used by main.ts and by the e2e tests. */
export async function createApp(env: Environment, options: { logger?: false } = {}): Promise<NestFastifyApplication> {
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  useTrustedProxies(trustedProxyNetworks(env.TRUST_PROXY));
  // The repository's web rules and RULES_DIR's; a rule that does not load stops the start.
  useWebRules(loadWebRules(env.RULES_DIR));
  const adapter = new FastifyAdapter({
    bodyLimit: env.INGEST_MAX_BODY,
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
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'SOC_INGEST_TOKEN or SOC_ADMIN_TOKEN' })
    .addSecurity('ingest-token', {
      type: 'apiKey',
      in: 'header',
      name: 'X-SOC-Token',
      description: 'SOC_INGEST_TOKEN (or Authorization: Bearer)',
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
