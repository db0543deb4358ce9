import { StoredDecision } from '../domain/decision';
import { parseArgs } from './args';
import { ReplayResult } from './replay';
import { buildReport, formatReport } from './report';

const T = Date.parse('2026-11-24T10:00:00Z');

function decision(
  value: string,
  action: StoredDecision['action'],
  seconds: number,
  change: Partial<StoredDecision> = {},
): StoredDecision {
  return {
    id: `${value}-${action}-${seconds}`,
    scope: value.includes('/') ? 'range' : 'ip',
    value,
    status: 'active',
    createdBy: 'policy',
    action,
    origin: 'policy',
    ruleId: action === 'block' ? 'ssh-brute-force' : 'auth-failure-seen',
    reason: 'r',
    verdictId: null,
    createdAt: new Date(T + seconds * 1000),
    expiresAt: new Date(T + seconds * 1000 + 600_000),
    revokedAt: null,
    revokeReason: null,
    ...change,
  };
}

const RESULT: ReplayResult = {
  counts: {
    lines: 10,
    parsed: 8,
    rejected: 2,
    reasons: new Map([['no usable source address', 2]]),
    actors: new Set(['203.0.113.7', '198.51.100.1', '2001:db8::1']),
    firstEvent: new Date(T),
    lastEvent: new Date(T + 60_000),
  },
  decisions: [
    decision('198.51.100.1', 'monitor', 0),
    decision('203.0.113.7', 'monitor', 1),
    decision('203.0.113.7', 'block', 2),
    decision('203.0.113.7', 'block', 3600, { expiresAt: new Date(T + 3600_000 + 1_200_000) }),
    decision('2001:db8::/64', 'block', 5, { status: 'simulated' }),
  ],
  seconds: 0.5,
};

describe(buildReport.name, () => {
  const report = buildReport(RESULT, { file: 'auth.log', format: 'auto', policy: 'default-2' });

  it('puts the most severe actors first, with their strongest decision (published over simulated)', () => {
    expect(report.actors.map((a) => [a.value, a.strongest.action, a.strongest.status])).toEqual([
      ['203.0.113.7', 'block', 'active'],
      ['2001:db8::/64', 'block', 'simulated'],
      ['198.51.100.1', 'monitor', 'active'],
    ]);
    expect(report.actors[0].strongest.seconds).toBe(1200);
  });

  it('counts lines, actors and decisions, published and simulated apart', () => {
    expect(report.summary).toMatchObject({
      lines: 10,
      parsed: 8,
      rejected: 2,
      rejectedReasons: [{ reason: 'no usable source address', lines: 2 }],
      actors: 3,
      decisions: { monitor: 2, block: 2 },
      simulated: { block: 1 },
      blockedValues: 1,
      rangeDecisions: 1,
      linesPerSecond: 20,
    });
  });

  it('prints one line per actor and the summary', () => {
    const text = formatReport(report);
    expect(text).toMatch(/^203\.0\.113\.7 +ip +block +ssh-brute-force .*1200s {2}\(2 blocks: 600s, 1200s\)$/m);
    expect(text).toMatch(/^2001:db8::\/64 +range +block\* /m);
    expect(text).toContain('10 lines: 8 parsed, 2 rejected');
    expect(text).toContain(
      'decisions: monitor 2, block 2; simulated (*): block 1; 1 on ranges; 1 addresses/ranges blocked',
    );
  });
});

describe(parseArgs.name, () => {
  it.each([
    { argv: ['a.log'], expected: { file: 'a.log', batch: 20_000, span: 600, json: false } },
    { argv: ['a.log', '--format', 'syslog', '--json'], expected: { format: 'syslog3164', json: true } },
    { argv: ['--format', 'auto', 'a.log'], expected: { file: 'a.log' } },
    { argv: ['a.log', '--format', 'json', '--policy', 'p.yaml'], expected: { format: 'json', policy: 'p.yaml' } },
    { argv: ['a.log', '--span', '60', '--batch', '500'], expected: { span: 60, batch: 500 } },
    { argv: ['a.log', '--now', '2026-11-24T00:00:00Z'], expected: { now: new Date('2026-11-24T00:00:00Z') } },
  ])('$argv', ({ argv, expected }) => {
    expect(parseArgs(argv)).toMatchObject(expected);
  });

  it.each([
    { argv: [], error: 'no file given' },
    { argv: ['a.log', '--format', 'evtx'], error: 'unknown format "evtx"' },
    { argv: ['a.log', '--span', '0'], error: '--span must be a positive integer' },
    { argv: ['a.log', '--policy'], error: '--policy needs a value' },
    { argv: ['a.log', '--now', 'yesterday'], error: '--now must be an ISO 8601 time' },
    { argv: ['a.log', 'b.log'], error: 'unknown argument b.log' },
    { argv: ['a.log', '--fast'], error: 'unknown argument --fast' },
  ])('refuses $argv', ({ argv, error }) => {
    expect(() => parseArgs(argv)).toThrow(error);
  });
});
