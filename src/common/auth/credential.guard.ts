import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { ThrottlerException } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { parseBouncerKeys } from '../../config/bouncer-keys';
import { Environment } from '../../config/environment';
import { IngestCredential, ingestCredentials } from '../../config/ingest-tokens';
import { HEC } from './hec-answers';
import { HecError, hecToken } from './hec-auth';
import { AuthFailureLimiter, CredentialKind, FailureReason } from './auth-failures';
import { BOUNCER_KEY_HEADER, bouncerKeyHash } from './bouncer-key';
import { Credential, RequiresCredential } from './credential.decorator';
import { AuthenticatedRequest } from './ingest-source';
import { presentedToken, TokenSet } from './token';

/** Thrown for a refused credential: carries what the failure log needs, and the answer to send. */
class Refusal extends Error {
  constructor(
    readonly reason: FailureReason,
    readonly answer: Error,
  ) {
    super('credential refused');
  }
}

/**
 * Global guard, deny by default: a route with no @RequiresCredential is closed. The ingest
 * routes take SOC_INGEST_TOKEN or one of SOC_INGEST_TOKENS (Bearer or X-SOC-Token; on the
 * Splunk HEC routes `Authorization: Splunk`), the read/management routes SOC_ADMIN_TOKEN
 * (Bearer or X-SOC-Admin-Token), the bouncer routes one of BOUNCER_API_KEYS (X-Api-Key). An
 * unset ingest or admin token leaves its routes open, which the service warns about (and
 * production refuses, see config/credential-checks.ts).
 *
 * Every refusal is logged (route, address, credential kind; never the secret) and counted per
 * address; past AUTH_FAILURE_LIMIT a minute the address gets 429 before any comparison. It runs
 * before the rate limit, which needs to know the ingest token's name and limit.
 */
@Injectable()
export class CredentialGuard implements CanActivate {
  private readonly ingest: TokenSet<IngestCredential>;
  private readonly admin: TokenSet<{ token: string }>;
  private readonly bouncers: TokenSet<{ token: string; hash: string }>;

  constructor(
    private readonly reflector: Reflector,
    private readonly failures: AuthFailureLimiter,
    config: ConfigService<Environment, true>,
  ) {
    const adminToken = config.get('SOC_ADMIN_TOKEN', { infer: true });
    const bouncerKeys = config.get('BOUNCER_API_KEYS', { infer: true });
    this.ingest = new TokenSet(
      ingestCredentials(
        config.get('SOC_INGEST_TOKEN', { infer: true }),
        config.get('SOC_INGEST_TOKENS', { infer: true }),
      ),
    );
    this.admin = new TokenSet(adminToken === undefined ? [] : [{ token: adminToken }]);
    this.bouncers = new TokenSet(
      (bouncerKeys === undefined ? [] : parseBouncerKeys(bouncerKeys)).map((key) => ({
        token: key,
        hash: bouncerKeyHash(key),
      })),
    );
    this.warnOpen();
  }

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride(RequiresCredential, [context.getHandler(), context.getClass()]);
    if (needed === undefined) {
      throw new ForbiddenException('This route declares no credential and is closed.');
    }
    if (needed === 'public' || this.isOpen(needed)) {
      return true;
    }
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    this.refuseLockedOut(request, http.getResponse<FastifyReply>());
    try {
      this.admit(needed, request);
      return true;
    } catch (error) {
      if (!(error instanceof Refusal)) {
        throw error;
      }
      this.failures.record({
        method: request.method,
        route: request.routeOptions?.url ?? '(unknown route)',
        address: request.ip,
        credential: needed,
        reason: error.reason,
      });
      throw error.answer;
    }
  }

  /** An unset ingest or admin token leaves its routes open; bouncer routes without keys are closed. */
  private isOpen(needed: CredentialKind): boolean {
    return needed === 'ingest' || needed === 'hec' ? this.ingest.empty : needed === 'admin' && this.admin.empty;
  }

  private refuseLockedOut(request: AuthenticatedRequest, reply: FastifyReply): void {
    const wait = this.failures.lockedForMs(request.ip);
    if (wait > 0) {
      void reply.header('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
      throw new ThrottlerException('Too many failed authentications from this address; retry later.');
    }
  }

  private admit(needed: Exclude<Credential, 'public'>, request: AuthenticatedRequest): void {
    // An Authorization header that yields no bearer token (another scheme, two words) is malformed, not missing.
    const malformed = request.headers.authorization !== undefined;
    switch (needed) {
      case 'ingest': {
        const token = presentedToken(request.headers, 'x-soc-token');
        request.ingestCredential = this.matchOrRefuse(this.ingest, token, () => this.unauthorized('ingest'), malformed);
        return;
      }
      case 'hec': {
        const presented = hecToken(request.headers.authorization);
        if ('refusal' in presented) {
          throw new Refusal(presented.reason, new HecError(presented.refusal));
        }
        request.ingestCredential = this.matchOrRefuse(
          this.ingest,
          presented.token,
          () => new HecError(HEC.invalidToken),
        );
        return;
      }
      case 'admin':
        this.matchOrRefuse(
          this.admin,
          presentedToken(request.headers, 'x-soc-admin-token'),
          () => this.unauthorized('admin'),
          malformed,
        );
        return;
      case 'bouncer': {
        // CrowdSec's LAPI answers a missing or wrong key with 403 `{"message":"access forbidden"}`; bouncers expect exactly that.
        const header = request.headers[BOUNCER_KEY_HEADER];
        const key = typeof header === 'string' && header !== '' ? header : undefined;
        const forbidden = () => new ForbiddenException({ message: 'access forbidden' });
        request.bouncerKeyHash = this.matchOrRefuse(this.bouncers, key, forbidden).hash;
        return;
      }
    }
  }

  private matchOrRefuse<T extends { token: string }>(
    set: TokenSet<T>,
    presented: string | undefined,
    answer: () => Error,
    malformed = false,
  ): T {
    const match = set.match(presented);
    if (match === null) {
      throw new Refusal(presented !== undefined ? 'wrong' : malformed ? 'malformed' : 'missing', answer());
    }
    return match;
  }

  private unauthorized(kind: 'ingest' | 'admin'): UnauthorizedException {
    return new UnauthorizedException(`A valid ${kind} token is required (Authorization: Bearer <token>).`);
  }

  private warnOpen(): void {
    const logger = new Logger(CredentialGuard.name);
    if (this.ingest.empty) {
      logger.warn('No ingest token is set: the ingest routes accept events from anyone who can reach them.');
    }
    if (this.admin.empty) {
      logger.warn(
        'SOC_ADMIN_TOKEN is not set: the admin routes (/decisions, /actors, /audit, /metrics, /llm/stats) are open to anyone who can reach them.',
      );
    }
    if (this.bouncers.empty) {
      logger.warn('BOUNCER_API_KEYS is not set: the CrowdSec bouncer routes (/v1/decisions) are closed.');
    }
  }
}
