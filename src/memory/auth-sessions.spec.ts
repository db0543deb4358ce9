import { AttemptEvidence, AttemptRole } from '../domain/attempt';
import { applyObservations } from './actor-profile';
import { pruneSessions, recordEvidence, SESSION_CAP, SESSION_WINDOW_MS } from './auth-sessions';
import { AuthSession } from '../domain/actor';

const T0 = Date.parse('2026-11-24T10:00:00Z');

/** `[role, pid, port?, count?, seconds after T0?]`: one line of a connection. */
type Line = [AttemptRole, number, number?, number?, number?];

function evidence([role, pid, port, count = 1]: Line): AttemptEvidence {
  const keys = [...(Number.isNaN(pid) ? [] : [`pbastion#${pid}`]), ...(port === undefined ? [] : [`abastion:${port}`])];
  return { keys, role, count };
}

/** Attempts an actor is charged with after these lines, in this order. */
function attempts(lines: Line[]): number {
  const sessions: AuthSession[] = [];
  let total = 0;
  for (const line of lines) {
    const { added, removed } = recordEvidence(sessions, evidence(line), T0 + (line[4] ?? 0) * 1000);
    total += added.length - removed.length;
  }
  return total;
}

interface Row {
  name: string;
  lines: Line[];
  expected: number;
}

const rows: Row[] = [
  {
    name: 'one password guess writes four lines and counts once',
    lines: [
      ['companion', 7, 5000],
      ['pam', 7],
      ['failed', 7, 5000],
      ['companion', 7, 5000],
    ],
    expected: 1,
  },
  {
    name: 'three guesses in one connection, then PAM 2 more',
    lines: [
      ['pam', 7],
      ['failed', 7, 5000],
      ['failed', 7, 5000],
      ['failed', 7, 5000],
      ['pamMore', 7, undefined, 2],
    ],
    expected: 3,
  },
  {
    name: 'PAM N more alone says N + 1 (pam_unix logs the first on its own)',
    lines: [
      ['pam', 7],
      ['pamMore', 7, undefined, 5],
    ],
    expected: 6,
  },
  {
    name: 'message repeated 4 times after the first',
    lines: [
      ['failed', 7, 5000],
      ['failed', 7, 5000, 4],
    ],
    expected: 5,
  },
  {
    name: 'a PAM failure then a login in the same connection counts nothing',
    lines: [
      ['pam', 7],
      ['success', 7, 5000],
    ],
    expected: 0,
  },
  { name: 'a PAM failure alone waits for the rest of its connection', lines: [['pam', 7]], expected: 0 },
  {
    name: 'a PAM failure, then the connection closes before sshd logs Failed (hydra): one attempt',
    lines: [
      ['pam', 7],
      ['companion', 7, 5000],
    ],
    expected: 1,
  },
  {
    name: 'a typo then a login in the same connection: the typo counts',
    lines: [
      ['pam', 7],
      ['failed', 7, 5000],
      ['success', 7, 5000],
    ],
    expected: 1,
  },
  {
    name: 'key probes before a publickey login count nothing',
    lines: [
      ['key', 7, 5000],
      ['key', 7, 5000],
      ['key', 7, 5000],
      ['success', 7, 5000],
    ],
    expected: 0,
  },
  {
    name: 'five connections, one guess each',
    lines: [1, 2, 3, 4, 5].map((pid): Line => ['failed', pid, 5000 + pid]),
    expected: 5,
  },
  {
    name: 'a user enumeration probe (Invalid user, closed) is one attempt',
    lines: [
      ['companion', 9, 6000],
      ['companion', 9, 6000],
    ],
    expected: 1,
  },
  {
    name: 'lines without a pid join by client port (sshd -e)',
    lines: [
      ['companion', 0, 6000],
      ['failed', 0, 6000],
      ['companion', 0, 6000],
    ].map(([role, , port]): Line => [role as AttemptRole, Number.NaN, port as number]),
    expected: 1,
  },
  {
    name: 'the same pid much later is another connection',
    lines: [
      ['failed', 7, 5000, 1, 0],
      ['failed', 7, 5001, 1, (SESSION_WINDOW_MS * 3) / 1000],
    ],
    expected: 2,
  },
];

describe(recordEvidence.name, () => {
  it.each(rows)('$name', ({ lines, expected }) => {
    expect(attempts(lines)).toBe(expected);
  });

  it('keeps at most SESSION_CAP connections, the latest', () => {
    const sessions: AuthSession[] = [];
    for (let pid = 0; pid < SESSION_CAP + 10; pid++) {
      recordEvidence(sessions, evidence(['failed', pid, 1000 + pid]), T0 + pid);
    }
    const kept = pruneSessions(sessions, T0 + SESSION_CAP + 10);
    expect(kept).toHaveLength(SESSION_CAP);
    expect(kept[0].keys).toContain(`pbastion#10`);
  });
});

describe(applyObservations.name, () => {
  const base = { sourceIp: '203.0.113.7', outcome: 'failure' as const, signals: ['auth_failure' as const] };

  it('counts attempts in the auth_failure count and timeline, lines in failureCount', () => {
    const lines: Line[] = [
      ['companion', 7, 5000],
      ['pam', 7],
      ['failed', 7, 5000],
      ['companion', 7, 5000],
    ];
    const profile = applyObservations(
      undefined,
      '203.0.113.7',
      lines.map((line, i) => ({ ...base, eventTime: new Date(T0 + i * 1000), attempt: evidence(line) })),
    );
    expect(profile.signalCounts.auth_failure).toBe(1);
    expect(profile.signalTimeline.auth_failure).toEqual([T0]);
    expect(profile.failureCount).toBe(4);
  });

  it('takes the PAM failure back when the connection logs in, across calls (lines in separate writes)', () => {
    const first = applyObservations(undefined, '192.0.2.10', [
      { ...base, sourceIp: '192.0.2.10', eventTime: new Date(T0), attempt: evidence(['companion', 8, 5000]) },
    ]);
    expect(first.signalCounts.auth_failure).toBe(1);
    const stored = JSON.parse(JSON.stringify(first.authSessions)) as AuthSession[];
    const second = applyObservations({ ...first, authSessions: stored }, '192.0.2.10', [
      {
        sourceIp: '192.0.2.10',
        outcome: 'success',
        signals: ['auth_success'],
        eventTime: new Date(T0 + 2000),
        attempt: evidence(['success', 8, 5000]),
      },
    ]);
    expect(second.signalCounts.auth_failure).toBeUndefined();
    expect(second.signalTimeline.auth_failure).toBeUndefined();
    expect(first.signalCounts.auth_failure).toBe(1);
  });

  it('counts an auth_failure without evidence (a JSON event) once, as before', () => {
    const profile = applyObservations(undefined, '198.51.100.1', [
      { ...base, sourceIp: '198.51.100.1', eventTime: new Date(T0) },
      { ...base, sourceIp: '198.51.100.1', eventTime: new Date(T0 + 1) },
    ]);
    expect(profile.signalCounts.auth_failure).toBe(2);
  });
});
