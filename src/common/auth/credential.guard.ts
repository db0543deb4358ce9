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
import { Environment } from '../../config/environment';
import { Credential, RequiresCredential } from './credential.decorator';
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
  private readonly rules: Record<Exclude<Credential, 'public'>, TokenRule>;

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
      logger.warn('SOC_ADMIN_TOKEN is not set: /decisions and /actors are readable by anyone who can reach them.');
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
}
