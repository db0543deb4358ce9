import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { ContextModule } from '../context/context.module';
import { DecisionApiModule } from '../decision/decision-api.module';
import { MemoryModule } from '../memory/memory.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ConsoleActionsController } from './console-actions.controller';
import { ConsoleAssets } from './console-assets';
import { ConsolePagesController } from './console-pages.controller';
import { CONSOLE_HEADERS } from './console-reply';
import { ConsoleSessionGuard } from './console-session.guard';
import { ConsoleSessions } from './console-sessions';
import { ConsoleSignInController } from './console-sign-in.controller';
import { ConsoleService } from './console.service';

/** Longest console form body: a reason, a note and a few fields. */
const FORM_LIMIT = 16 * 1024;

/** The analyst's web console at /console: server-rendered pages behind a session cookie. */
@Module({
  imports: [MemoryModule, ContextModule, MetricsModule, DecisionApiModule],
  controllers: [ConsoleSignInController, ConsolePagesController, ConsoleActionsController],
  providers: [ConsoleService, ConsoleSessions, ConsoleSessionGuard, ConsoleAssets],
})
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  /** HTML forms post urlencoded bodies (console only), and every console answer carries the CSP. */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (request, body, done) => {
        if (!request.url.startsWith('/console/')) {
          done(
            Object.assign(new Error('form bodies are accepted by the console only'), { statusCode: 415 }),
            undefined,
          );
          return;
        }
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    fastify.addHook('onSend', async (request, reply) => {
      if (request.url === '/console' || request.url.startsWith('/console/') || request.url.startsWith('/console?')) {
        void reply.headers(CONSOLE_HEADERS);
      }
    });
  }
}
