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
import { parseBouncerKeys } from '../../config/bouncer-keys';
import { Environment } from '../../config/environment';
import { RequiresCredential } from './credential.decorator';
import { checkHecAuthorization, HecError } from '../../ingest/hec/hec-auth';
import { BOUNCER_KEY_HEADER, BouncerRequest, matchBouncerKey } from './bouncer-key';
import { presentedToken, tokenMatches } from './token';

interface TokenRule {
  header: string;
  token: string | undefined;
}

/**
 * Global guard, deny by default: a route with no @RequiresCredential is closed. The ingest
 * routes take SOC_INGEST_TOKEN (Bearer or X-SOC-Token), the read/management routes take
 * SOC_ADMIN_TOKEN (Bearer or X-SOC-Admin-Token). An unset token leaves its routes open, which
 * the service warns about at start-up.
 */
@Injectable()
export class CredentialGuard implements CanActivate {
  private readonly rules: Record<'ingest' | 'admin', TokenRule>;
  private readonly bouncerKeys: readonly string[];

  constructor(
    private readonly reflector: Reflector,
    config: ConfigService<Environment, true>,
  ) {
    this.rules = {
      ingest: { header: 'x-soc-token', token: config.get('SOC_INGEST_TOKEN', { infer: true }) },
      admin: { header: 'x-soc-admin-token', token: config.get('SOC_ADMIN_TOKEN', { infer: true }) },
    };
    const logger = new Logger(CredentialGuard.name);
    if (this.rules.ingest.token === undefined) {
      logger.warn('SOC_INGEST_TOKEN is not set: the ingest routes accept events from anyone who can reach them.');
    }
    if (this.rules.admin.token === undefined) {
      logger.warn(
        'SOC_ADMIN_TOKEN is not set: the admin routes (/decisions, /actors, /audit, /metrics, /llm/stats) are open to anyone who can reach them.',
      );
    }
    const bouncerKeys = config.get('BOUNCER_API_KEYS', { infer: true });
    this.bouncerKeys = bouncerKeys === undefined ? [] : parseBouncerKeys(bouncerKeys);
    if (this.bouncerKeys.length === 0) {
      logger.warn('BOUNCER_API_KEYS is not set: the CrowdSec bouncer routes (/v1/decisions) are closed.');
    }
  }

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride(RequiresCredential, [context.getHandler(), context.getClass()]);
    if (needed === undefined) {
      throw new ForbiddenException('This route declares no credential and is closed.');
    }
    if (needed === 'public') {
      return true;
    }
    if (needed === 'bouncer') {
      return this.admitBouncer(context.switchToHttp().getRequest<BouncerRequest>());
    }
    if (needed === 'hec') {
      const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
      const refusal = checkHecAuthorization(request.headers.authorization, this.rules.ingest.token);
      if (refusal !== null) {
        throw new HecError(refusal);
      }
      return true;
    }
    const rule = this.rules[needed];
    if (rule.token === undefined) {
      return true;
    }
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    if (!tokenMatches(presentedToken(request.headers, rule.header), rule.token)) {
      throw new UnauthorizedException(`A valid ${needed} token is required (Authorization: Bearer <token>).`);
    }
    return true;
  }

  /**
   * CrowdSec's LAPI answers a missing or wrong key with 403 `{"message":"access forbidden"}`;
   * bouncers expect exactly that. With no key configured the routes are closed.
   */
  private admitBouncer(request: BouncerRequest): boolean {
    const presented = request.headers[BOUNCER_KEY_HEADER];
    const keyHash = matchBouncerKey(typeof presented === 'string' ? presented : undefined, this.bouncerKeys);
    if (keyHash === null) {
      throw new ForbiddenException({ message: 'access forbidden' });
    }
    request.bouncerKeyHash = keyHash;
    return true;
  }
}
