import { SIGNALS } from '../domain/signal';
import { COUNT_CAP } from './sanitise';
import { SUMMARY_CAP, capText, summarise } from './summary';
import { RecentEventSummary, TriageFeatures } from './triage-context';

const T = (minute: number): string => new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString();

function features(overrides: Partial<TriageFeatures> = {}): TriageFeatures {
  return {
    actor: '203.0.113.7',
    ipVersion: 4,
    firstSeen: T(0),
    lastSeen: T(12),
    totalEvents: 12,
    failureCount: 7,
    signalCounts: { auth_failure: 7, sql_injection: 2 },
    windowSeconds: 600,
    signalsInWindow: { auth_failure: 6 },
    distinctUsers: 4,
    distinctPaths: 1,
    eventsPerMinute: 1,
    offenceCount: 0,
    activeDecision: null,
    recentEvents: [
      {
        time: T(12),
        eventClass: 'auth_failure',
        outcome: 'failure',
        signals: ['auth_failure'],
        user: { length: 4, charClass: 'lower-alpha', hash: '1a2b3c4d' },
      },
      { time: T(11), eventClass: 'auth_failure', outcome: 'failure', signals: [] },
      { time: T(10), eventClass: 'http_request', outcome: 'success', signals: [] },
    ],
    ...overrides,
  };
}

/** A full stop followed by a space or the end ends a sentence; those in times and IPs do not. */
const sentences = (text: string): number => text.match(/\.(?=\s|$)/g)?.length ?? 0;

describe(summarise.name, () => {
  it('describes a typical actor', () => {
    expect(summarise(features())).toBe(
      'Actor 203.0.113.7 (IPv4) was seen 12 times between 2024-05-01T10:00:00.000Z and ' +
        '2024-05-01T10:12:00.000Z (1.00 events/min). 7 of 12 events failed. ' +
        'Signals over its whole history: auth_failure 7, sql_injection 2. ' +
        'In the 10 minutes up to its last event: auth_failure 6. ' +
        'It used 4 distinct user names and 1 distinct URL path. ' +
        'It has not been blocked before, and it has no active decision. ' +
        'Its 3 most recent events were auth_failure 2, http_request 1; the latest, at ' +
        '2024-05-01T10:12:00.000Z, was auth_failure with outcome failure, signals auth_failure; ' +
        'user name lower-alpha (4 chars, #1a2b3c4d).',
    );
  });

  const one: RecentEventSummary = { time: T(0), eventClass: 'other', outcome: 'unknown', signals: [] };
  it.each([
    {
      name: 'a single event',
      f: { totalEvents: 1, failureCount: 0, lastSeen: T(0), recentEvents: [one] },
      expected: [
        'was seen once, at 2024-05-01T10:00:00.000Z',
        'None of its events failed.',
        'Its most recent event, at',
      ],
    },
    {
      name: 'no signals',
      f: { signalCounts: {}, signalsInWindow: {} },
      expected: ['No detection signal was raised.', 'No signal in the 10 minutes'],
    },
    { name: 'window of an hour', f: { windowSeconds: 3600 }, expected: ['In the 1 hour up to'] },
    { name: 'window of a minute', f: { windowSeconds: 60 }, expected: ['In the 1 minute up to'] },
    { name: 'window of 90 s', f: { windowSeconds: 90 }, expected: ['In the 90 seconds up to'] },
    { name: 'repeat offender', f: { offenceCount: 3 }, expected: ['It has been blocked 3 times before'] },
    { name: 'one earlier block', f: { offenceCount: 1 }, expected: ['It has been blocked once before'] },
    {
      name: 'its first block, in force (counted as an offence already)',
      f: { offenceCount: 1, activeDecision: { action: 'block', ruleId: 'ssh-brute-force' } },
      expected: ['It had not been blocked before this block'],
    },
    {
      name: 'a repeat offender blocked again',
      f: { offenceCount: 3, activeDecision: { action: 'block', ruleId: 'ssh-brute-force' } },
      expected: ['It has been blocked 2 times before this block'],
    },
    {
      name: 'an alert in force is not a block',
      f: { offenceCount: 1, activeDecision: { action: 'alert', ruleId: 'web-attack' } },
      expected: ['It has been blocked once before,'],
    },
    {
      name: 'active decision',
      f: { activeDecision: { action: 'block', ruleId: 'ssh-brute-force' } },
      expected: ['an active block decision (rule ssh-brute-force) is in place.'],
    },
    {
      name: 'signals by count',
      f: { signalCounts: { xss: 1, scanner: 5, log4shell: 1 } },
      expected: ['scanner 5, xss 1, log4shell 1.'],
    },
    { name: 'no recent events', f: { recentEvents: [] }, expected: ['no active decision.'] },
  ])('$name', ({ f, expected }) => {
    const text = summarise(features(f));
    for (const part of expected) {
      expect(text).toContain(part);
    }
    expect(sentences(text)).toBeGreaterThanOrEqual(3);
    expect(sentences(text)).toBeLessThanOrEqual(8);
  });

  it('stays under the cap for the largest possible features', () => {
    const shape = { length: COUNT_CAP, charClass: 'printable-ascii', hash: 'ffffffff' };
    const all = Object.fromEntries(SIGNALS.map((s) => [s, COUNT_CAP]));
    const event: RecentEventSummary = {
      time: T(59),
      eventClass: 'auth_failure',
      outcome: 'unknown',
      signals: [...SIGNALS],
      ...{ user: shape, url: shape, userAgent: shape, message: shape, host: shape },
    };
    const text = summarise(
      features({
        actor: 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255',
        ipVersion: 6,
        totalEvents: COUNT_CAP,
        failureCount: COUNT_CAP,
        eventsPerMinute: COUNT_CAP,
        signalCounts: all,
        signalsInWindow: all,
        offenceCount: COUNT_CAP,
        activeDecision: { action: 'monitor', ruleId: 'r'.repeat(48) },
        windowSeconds: 2_592_001,
        recentEvents: Array.from({ length: 10 }, () => event),
      }),
    );
    expect(text.length).toBeLessThanOrEqual(SUMMARY_CAP);
    expect(sentences(text)).toBeGreaterThanOrEqual(3);
  });

  it('applies the cap to whatever features it is given', () => {
    const text = summarise(features({ actor: '2001:db8::1 '.repeat(500) }));
    expect(text.length).toBeLessThanOrEqual(SUMMARY_CAP);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe(capText.name, () => {
  it.each([
    { name: 'short text is kept', text: 'One. Two.', cap: 20, expected: 'One. Two.' },
    { name: 'exactly the cap is kept', text: 'One. Two.', cap: 9, expected: 'One. Two.' },
    { name: 'cut after the last whole sentence', text: 'One. Two. Three.', cap: 12, expected: 'One. Two.' },
    { name: 'hard cut when no sentence fits', text: 'abcdefghij', cap: 5, expected: 'abcd…' },
  ])('$name', ({ text, cap, expected }) => {
    const capped = capText(text, cap);
    expect(capped).toBe(expected);
    expect(capped.length).toBeLessThanOrEqual(cap);
  });
});
