import { Controller, Get, Header, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { ConsoleAssets } from './console-assets';
import { ConsoleErrorFilter } from './console-error.filter';
import { decisionFilter, pageParam, textParam } from './console-input';
import { sendPage } from './console-reply';
import { ConsoleRequest, ConsoleSessionGuard } from './console-session.guard';
import { ConsoleInputError, ConsoleService } from './console.service';
import { actorLookupPage, actorPage } from './views/actor.view';
import { auditPage } from './views/audit.view';
import { decisionsPage } from './views/decisions.view';
import { PageContext } from './views/layout';
import { counterRows, decisionItems, minuteChart, overviewPage, tallyRows } from './views/overview.view';

/** What a page needs of the session: the operator's name, the CSRF token, the flash (taken once). */
export function pageContext(request: ConsoleRequest): PageContext {
  const session = request.consoleSession;
  if (session === undefined) {
    throw new Error('pageContext used on a route without ConsoleSessionGuard');
  }
  const notice = session.flash;
  session.flash = undefined;
  return { operator: session.operator, csrf: session.csrf, notice };
}

/** The console's pages (server-rendered) and the overview's live numbers, behind a session. */
@ApiExcludeController()
@RequiresCredential('public')
@UseGuards(ConsoleSessionGuard)
@UseFilters(ConsoleErrorFilter)
@SkipThrottle()
@Controller('console')
export class ConsolePagesController {
  constructor(
    private readonly console: ConsoleService,
    private readonly assets: ConsoleAssets,
  ) {}

  @Get()
  async overview(@Req() request: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    const [overview, latest] = await Promise.all([this.console.overview(), this.console.latest()]);
    sendPage(reply, overviewPage(pageContext(request), overview, latest));
  }

  /** The overview's numbers, and its tables as HTML built (and escaped) by the same views. */
  @Get('api/overview')
  @Header('cache-control', 'no-store')
  async overviewData(): Promise<unknown> {
    const [overview, latest] = await Promise.all([this.console.overview(), this.console.latest()]);
    return {
      overview,
      fragments: {
        chart: minuteChart(overview.eventsPerMinute).text,
        tallies: tallyRows(overview).text,
        counters: counterRows(overview).text,
        latestInForce: decisionItems(latest.inForce, 'None.').text,
        latestPending: decisionItems(latest.pending, 'Nothing waits.').text,
      },
    };
  }

  @Get('decisions')
  async decisions(
    @Query() query: Record<string, unknown>,
    @Req() request: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filter = decisionFilter(query);
    let page = { total: 0, items: [] as Awaited<ReturnType<ConsoleService['decisions']>>['items'] };
    let problem: string | null = null;
    try {
      page = await this.console.decisions(filter);
    } catch (error) {
      problem = problemOf(error);
    }
    sendPage(reply, decisionsPage(pageContext(request), filter, page, problem), problem === null ? 200 : 400);
  }

  @Get('actors')
  lookup(@Query() query: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() reply: FastifyReply): void {
    const ip = textParam(query, 'ip');
    if (ip !== undefined) {
      void reply
        .status(303)
        .header('location', `/console/actors/${encodeURIComponent(ip)}`)
        .send();
      return;
    }
    sendPage(reply, actorLookupPage(pageContext(request), null));
  }

  @Get('actors/:ip')
  async actor(@Param('ip') ip: string, @Req() request: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const page = await this.console.actor(ip);
      if (page === null) {
        sendPage(reply, actorLookupPage(pageContext(request), `No events from ${ip.slice(0, 64)}.`), 404);
        return;
      }
      sendPage(reply, actorPage(pageContext(request), page));
    } catch (error) {
      sendPage(reply, actorLookupPage(pageContext(request), problemOf(error)), 400);
    }
  }

  @Get('audit')
  async audit(@Query() query: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() reply: FastifyReply) {
    const filter = { value: textParam(query, 'value'), who: textParam(query, 'who'), page: pageParam(query) };
    let page = { total: 0, items: [] as Awaited<ReturnType<ConsoleService['audit']>>['items'] };
    let problem: string | null = null;
    try {
      page = await this.console.audit(filter);
    } catch (error) {
      problem = problemOf(error);
    }
    sendPage(reply, auditPage(pageContext(request), filter, page, problem), problem === null ? 200 : 400);
  }

  @Get('assets/console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return this.assets.js;
  }
}

/** A refusal of the user's input is shown; anything else is a fault for the error filter. */
function problemOf(error: unknown): string {
  if (error instanceof ConsoleInputError) {
    return error.message;
  }
  throw error;
}
