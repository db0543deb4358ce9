import { Body, Controller, Get, Header, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { ConsoleAssets } from './console-assets';
import { sendPage, seeOther } from './console-reply';
import { ConsoleSessions } from './console-sessions';
import { sessionCookie } from './session';
import { signInPage } from './views/layout';

/** The only console routes served without a session: the sign-in page, its form, the stylesheet and icon. */
@ApiExcludeController()
@RequiresCredential('public')
@Controller('console')
export class ConsoleSignInController {
  private readonly logger = new Logger(ConsoleSignInController.name);

  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly assets: ConsoleAssets,
  ) {}

  @Get('login')
  page(@Res() reply: FastifyReply): void {
    sendPage(reply, signInPage(null, !this.sessions.enabled));
  }

  @Post('login')
  signIn(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const operator = typeof form.operator === 'string' ? form.operator.replace(/[^\p{L}\p{N} ._@-]/gu, '').trim() : '';
    const token = typeof form.token === 'string' ? form.token : '';
    if (!this.sessions.enabled) {
      sendPage(reply, signInPage(null, true), 403);
      return;
    }
    if (operator === '' || operator.length > 64 || token === '') {
      sendPage(reply, signInPage('Give your name (letters, digits, . _ @ -) and the admin token.', false), 400);
      return;
    }
    const opened = this.sessions.signIn(operator, token);
    if (opened === null) {
      this.logger.warn(`console sign-in refused from ${request.ip}: wrong admin token`);
      sendPage(reply, signInPage('That is not the admin token.', false), 401);
      return;
    }
    this.logger.log(`console sign-in by ${operator} from ${request.ip}`);
    void reply.header(
      'set-cookie',
      sessionCookie(opened.cookie, request.protocol === 'https', this.sessions.maxAgeSeconds),
    );
    seeOther(reply, '/console');
  }

  @Get('assets/console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'no-cache')
  stylesheet(): string {
    return this.assets.css;
  }

  @Get('assets/favicon.svg')
  @Header('content-type', 'image/svg+xml')
  @Header('cache-control', 'max-age=86400')
  icon(): string {
    return this.assets.icon;
  }
}
