import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { tokenMatches } from '../common/auth/token';
import { Environment } from '../config/environment';
import { ConsoleSession, DEFAULT_SESSION_LIMITS, SessionStore } from './session';

/** The console's sessions, and the one check of the admin token that opens one. */
@Injectable()
export class ConsoleSessions {
  private readonly store = new SessionStore(DEFAULT_SESSION_LIMITS);
  private readonly adminToken: string | undefined;

  constructor(config: ConfigService<Environment, true>) {
    this.adminToken = config.get('SOC_ADMIN_TOKEN', { infer: true });
  }

  /** Without an admin token there is nothing to sign in with: the console stays closed. */
  get enabled(): boolean {
    return this.adminToken !== undefined;
  }

  get maxAgeSeconds(): number {
    return Math.floor(DEFAULT_SESSION_LIMITS.absoluteMs / 1000);
  }

  signIn(operator: string, token: string): { cookie: string; session: ConsoleSession } | null {
    if (this.adminToken === undefined || !tokenMatches(token, this.adminToken)) {
      return null;
    }
    return this.store.create(operator, Date.now());
  }

  find(cookie: string | undefined): ConsoleSession | null {
    return this.enabled ? this.store.find(cookie, Date.now()) : null;
  }

  signOut(cookie: string | undefined): void {
    this.store.destroy(cookie);
  }
}
