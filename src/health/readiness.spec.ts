import type { HealthCheckResult } from '@nestjs/terminus';
import { readinessOf } from './readiness';

const FAULT: HealthCheckResult['details'][string] = {
  status: 'down',
  cause: 'ENOSPC',
  reason: 'ENOSPC: 0 B free',
  since: '2026-12-06T04:00:00.000Z',
};

describe(readinessOf.name, () => {
  it.each<{ name: string; input: Pick<HealthCheckResult, 'status' | 'details'>; expected: object }>([
    {
      name: 'all up, no Redis configured',
      input: { status: 'ok', details: { database: { status: 'up' }, storage: { status: 'up' } } },
      expected: { status: 'ok', database: 'up', storage: 'writable' },
    },
    {
      name: 'all up with Redis',
      input: {
        status: 'ok',
        details: { database: { status: 'up' }, storage: { status: 'up' }, redis: { status: 'up' } },
      },
      expected: { status: 'ok', database: 'up', storage: 'writable', redis: 'up' },
    },
    {
      name: 'disk full',
      input: { status: 'error', details: { database: { status: 'up' }, storage: FAULT } },
      expected: {
        status: 'unavailable',
        database: 'up',
        storage: 'unavailable',
        failed: ['storage'],
        cause: 'ENOSPC',
        reason: 'ENOSPC: 0 B free',
        since: '2026-12-06T04:00:00.000Z',
      },
    },
    {
      name: 'database down (storage cannot be written either)',
      input: {
        status: 'error',
        details: { database: { status: 'down', message: 'timeout' }, storage: { status: 'up' } },
      },
      expected: { status: 'unavailable', database: 'down', storage: 'unavailable', failed: ['database'] },
    },
    {
      name: 'Redis down',
      input: {
        status: 'error',
        details: {
          database: { status: 'up' },
          storage: { status: 'up' },
          redis: { status: 'down', reason: 'not connected' },
        },
      },
      expected: { status: 'unavailable', database: 'up', storage: 'writable', redis: 'down', failed: ['redis'] },
    },
    {
      name: 'shutting down',
      input: { status: 'shutting_down', details: { database: { status: 'up' }, storage: { status: 'up' } } },
      expected: { status: 'unavailable', database: 'up', storage: 'writable' },
    },
  ])('$name', ({ input, expected }) => {
    expect(readinessOf(input)).toEqual(expected);
  });
});
