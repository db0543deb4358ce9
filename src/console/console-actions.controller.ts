import { Body, Controller, Logger, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { ManagementError } from '../decision/management/management-error';
import { DecisionManagementService } from '../decision/management/management.service';
import { ConsoleErrorFilter } from './console-error.filter';
import { textParam } from './console-input';
import { consolePath, seeOther } from './console-reply';
import { ConsoleRequest, ConsoleSessionGuard } from './console-session.guard';
import { ConsoleSessions } from './console-sessions';
import { ConsoleSession, sessionCookie } from './session';

const DECISION_CHANGES = ['approve', 'reject', 'revoke', 'extend'] as const;
type DecisionChange = (typeof DECISION_CHANGES)[number];
const DONE: Readonly<Record<DecisionChange, string>> = {
  approve: 'Approved',
  reject: 'Rejected',
  revoke: 'Lifted',
  extend: 'Extended',
};

type Form = Record<string, unknown>;

/**
 * What an analyst changes from the console: every form posts a reason, goes through the same
 * management service as the admin API (audit rows and all, `by` the signed-in operator), and
 * answers with a redirect back and a one-time notice (post/redirect/get).
 */
@ApiExcludeController()
@RequiresCredential('public')
@UseGuards(ConsoleSessionGuard)
@UseFilters(ConsoleErrorFilter)
@SkipThrottle()
@Controller('console')
export class ConsoleActionsController {
  private readonly logger = new Logger(ConsoleActionsController.name);

  constructor(
    private readonly management: DecisionManagementService,
    private readonly sessions: ConsoleSessions,
  ) {}

  @Post('decisions/:id/:change')
  async change(
    @Param('id') id: string,
    @Param('change') change: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(request);
    const back = consolePath(body.back, '/console/decisions');
    const kind = DECISION_CHANGES.find((c) => c === change);
    const reason = textParam(body, 'reason', 500);
    if (kind === undefined || reason === undefined || !/^[0-9a-f-]{36}$/.test(id)) {
      session.flash = { kind: 'error', text: 'Give a reason (and, to extend, a duration such as 24h).' };
      seeOther(reply, back);
      return;
    }
    const by = { reason, by: session.operator };
    await this.flashOutcome(session, async () => {
      const decision =
        kind === 'approve'
          ? await this.management.approve(id, by)
          : kind === 'reject'
            ? await this.management.reject(id, by)
            : kind === 'revoke'
              ? await this.management.revoke(id, by)
              : await this.management.extend(id, textParam(body, 'duration', 16) ?? '', by);
      return `${DONE[kind]} ${decision.action} on ${decision.value} (${decision.ruleId}).`;
    });
    seeOther(reply, back);
  }

  @Post('actors/:ip/feedback')
  async feedback(
    @Param('ip') ip: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(request);
    const verdict = body.verdict === 'false_positive' ? 'false_positive' : 'true_positive';
    const note = textParam(body, 'note', 500);
    if (note === undefined) {
      session.flash = { kind: 'error', text: 'Give a note with the feedback.' };
    } else {
      await this.flashOutcome(session, async () => {
        const stored = await this.management.feedback(ip, verdict, note, session.operator);
        return `Feedback recorded (${verdict.replace('_', ' ')}); ${stored.revokedDecisionIds.length} decision(s) lifted.`;
      });
    }
    seeOther(reply, `/console/actors/${encodeURIComponent(ip)}`);
  }

  @Post('logout')
  signOut(@Req() request: ConsoleRequest, @Res() reply: FastifyReply): void {
    this.sessions.signOut(request.consoleCookie);
    this.logger.log(`console sign-out by ${sessionOf(request).operator}`);
    void reply.header('set-cookie', sessionCookie(null, request.protocol === 'https', 0));
    seeOther(reply, '/console/login');
  }

  /** Runs a change; its outcome, or the management service's refusal, becomes the next page's notice. */
  private async flashOutcome(session: ConsoleSession, run: () => Promise<string>): Promise<void> {
    try {
      session.flash = { kind: 'ok', text: await run() };
    } catch (error) {
      if (!(error instanceof ManagementError)) {
        throw error;
      }
      session.flash = { kind: 'error', text: error.message };
    }
  }
}

function sessionOf(request: ConsoleRequest): ConsoleSession {
  if (request.consoleSession === undefined) {
    throw new Error('no console session on a guarded route');
  }
  return request.consoleSession;
}
