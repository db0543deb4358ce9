import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { normalizeIp } from '@nestjs/throttler';
import { Environment } from '../../config/environment';
import { retryAfter } from './sliding-window';
import { SlidingWindowCounter } from './sliding-window.storage';

export type CredentialKind = 'ingest' | 'hec' | 'admin' | 'bouncer';

/** Why a request was refused: nothing presented, a header of the wrong shape, or a wrong secret. */
export type FailureReason = 'missing' | 'malformed' | 'wrong';

/** One failed authentication, as logged: never the presented secret, nor any part of it. */
export interface FailedAttempt {
  method: string;
  /** The route's pattern (e.g. `/ingest-log/batch`), not the URL the client wrote. */
  route: string;
  address: string;
  credential: CredentialKind;
  reason: FailureReason;
}

const WINDOW_MS = 60_000;

/**
 * Failed authentications per client address (IPv6 by /64, as the rate limit counts them), over
 * a sliding minute. Past AUTH_FAILURE_LIMIT the guard answers 429 before comparing anything,
 * so guessing a token costs the guesser a minute per AUTH_FAILURE_LIMIT tries. Counts are held
 * in this process (one instance's view).
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly logger = new Logger(AuthFailureLimiter.name);
  private readonly counter: SlidingWindowCounter;
  private readonly limit: number;

  constructor(config: ConfigService<Environment, true>) {
    this.limit = config.get('AUTH_FAILURE_LIMIT', { infer: true });
    this.counter = new SlidingWindowCounter({ maxKeys: 100_000 });
  }

  /** ms the address must still wait before its credentials are looked at again; 0 when it may try. */
  lockedForMs(address: string): number {
    return retryAfter(this.counter.peek(normalizeIp(address), WINDOW_MS), this.counter.now(), WINDOW_MS, this.limit);
  }

  /** Counts and logs one failure; logs once more when it uses up the address's allowance. */
  record(attempt: FailedAttempt): void {
    const key = normalizeIp(attempt.address);
    this.counter.hit(key, WINDOW_MS, this.limit);
    this.logger.warn(
      `authentication failed: ${attempt.method} ${attempt.route} from ${attempt.address} (${attempt.credential} credential ${attempt.reason})`,
    );
    const wait = this.lockedForMs(attempt.address);
    if (wait > 0) {
      this.logger.warn(
        `${attempt.address} reached ${this.limit} failed authentications in a minute (AUTH_FAILURE_LIMIT): refused with 429 for ${Math.ceil(wait / 1000)} s without checking credentials`,
      );
    }
  }
}
