import { TriageFeatures } from '../context/triage-context';
import { ATTACK_TECHNIQUE_PATTERN } from '../domain/verdict';
import { judgeHeuristically, levelFor } from './heuristic';

function features(overrides: Partial<TriageFeatures>): TriageFeatures {
  return {
    actor: '203.0.113.7',
    ipVersion: 4,
    firstSeen: '2026-11-24T10:00:00.000Z',
    lastSeen: '2026-11-24T10:05:00.000Z',
    totalEvents: 1,
    failureCount: 0,
    signalCounts: {},
    windowSeconds: 600,
    signalsInWindow: {},
    distinctUsers: 0,
    distinctPaths: 0,
    eventsPerMinute: 1,
    offenceCount: 0,
    activeDecision: null,
    recentEvents: [],
    ...overrides,
  };
}

describe(judgeHeuristically.name, () => {
  it.each([
    { name: 'nothing hostile', input: {}, level: 'none', category: 'benign' },
    {
      name: 'one failure',
      input: { signalsInWindow: { auth_failure: 1 }, signalCounts: { auth_failure: 1 } },
      level: 'low',
      category: 'brute_force',
    },
    {
      name: 'three failures',
      input: { signalsInWindow: { auth_failure: 3 }, signalCounts: { auth_failure: 3 } },
      level: 'medium',
      category: 'brute_force',
    },
    {
      name: 'five failures',
      input: { signalsInWindow: { auth_failure: 5 }, signalCounts: { auth_failure: 5 } },
      level: 'high',
      category: 'brute_force',
    },
    {
      name: 'spraying many users',
      input: { signalsInWindow: { auth_failure: 8 }, distinctUsers: 6 },
      level: 'critical',
      category: 'credential_stuffing',
    },
    {
      name: 'old failures outside the window',
      input: { signalCounts: { auth_failure: 50 } },
      level: 'none',
      category: 'benign',
    },
    {
      name: 'log4shell',
      input: { signalCounts: { log4shell: 1 } },
      level: 'critical',
      category: 'remote_code_execution',
    },
    { name: 'sql injection', input: { signalCounts: { sql_injection: 2 } }, level: 'high', category: 'injection' },
    { name: 'xss', input: { signalCounts: { xss: 1 } }, level: 'medium', category: 'web_exploit' },
    { name: 'a scanner', input: { signalCounts: { scanner: 3 } }, level: 'low', category: 'scanning' },
    {
      name: 'a few file probes',
      input: { signalCounts: { sensitive_file_probe: 2 } },
      level: 'medium',
      category: 'reconnaissance',
    },
  ])('$name → $level, $category', ({ input, level, category }) => {
    const verdict = judgeHeuristically(features(input));
    expect(verdict.level).toBe(level);
    expect(verdict.categories[0]).toBe(category);
    expect(verdict.provider).toBe('heuristic');
  });

  it('raises the score for breadth and for earlier blocks, capped at 100', () => {
    const one = judgeHeuristically(features({ signalCounts: { sql_injection: 1 } }));
    const broad = judgeHeuristically(
      features({ signalCounts: { sql_injection: 1, scanner: 1, sensitive_file_probe: 1 } }),
    );
    const repeat = judgeHeuristically(features({ signalCounts: { sql_injection: 1 }, offenceCount: 2 }));
    const everything = judgeHeuristically(
      features({
        signalCounts: { log4shell: 1, sql_injection: 1, xss: 1, scanner: 1, sensitive_file_probe: 9 },
        offenceCount: 9,
      }),
    );
    expect(broad.score).toBeGreaterThan(one.score);
    expect(repeat.score).toBeGreaterThan(one.score);
    expect(everything.score).toBe(100);
  });

  it('gives well-formed ATT&CK technique ids and a rationale', () => {
    const verdict = judgeHeuristically(
      features({ signalCounts: { log4shell: 1, scanner: 1 }, signalsInWindow: { auth_failure: 7 } }),
    );
    expect(verdict.techniques.length).toBeGreaterThan(0);
    verdict.techniques.forEach((technique) => expect(technique).toMatch(ATTACK_TECHNIQUE_PATTERN));
    expect(verdict.rationale).toMatch(/JNDI/);
    expect(verdict.confidence).toBeGreaterThan(0);
    expect(verdict.confidence).toBeLessThanOrEqual(1);
  });
});

describe(levelFor.name, () => {
  it.each([
    [0, 'none'],
    [14, 'none'],
    [15, 'low'],
    [40, 'medium'],
    [70, 'high'],
    [90, 'critical'],
    [100, 'critical'],
  ])('%i → %s', (score, level) => {
    expect(levelFor(score)).toBe(level);
  });
});
