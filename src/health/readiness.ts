import type { HealthCheckResult } from '@nestjs/terminus';

/** What `/health` and `/health/ready` answer: flat, as load balancers and scripts read it. */
export interface Readiness {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  storage: 'writable' | 'unavailable';
  /** Only with REDIS_URL. */
  redis?: 'up' | 'down';
  /** The checks that failed (database, storage, redis), when not ready. */
  failed?: string[];
  /** SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, ENOSPC or EROFS while storage is unavailable. */
  cause?: string;
  reason?: string;
  since?: string;
}

type Details = HealthCheckResult['details'];

function isUp(details: Details, key: string): boolean {
  return details[key]?.status === 'up';
}

/**
 * Terminus' result (every indicator's status under `details`) in our answer's shape. Storage
 * cannot take writes while the database does not answer, whatever its own indicator said.
 */
export function readinessOf(result: Pick<HealthCheckResult, 'status' | 'details'>): Readiness {
  const { details } = result;
  const database = isUp(details, 'database');
  const storage = database && isUp(details, 'storage');
  const failed = Object.keys(details).filter((key) => !isUp(details, key));
  const fault = details.storage?.status === 'down' ? details.storage : undefined;
  return {
    status: result.status === 'ok' ? 'ok' : 'unavailable',
    database: database ? 'up' : 'down',
    storage: storage ? 'writable' : 'unavailable',
    ...('redis' in details && { redis: isUp(details, 'redis') ? 'up' : 'down' }),
    ...(failed.length > 0 && { failed }),
    ...(fault !== undefined && {
      cause: String(fault.cause),
      reason: String(fault.reason),
      since: String(fault.since),
    }),
  };
}
