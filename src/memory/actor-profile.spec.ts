import { ActorObservation, applyObservations } from './actor-profile';
import { TIMELINE_CAP } from '../domain/actor';

const at = (iso: string) => new Date(iso);
const failure = (iso: string, extra: Partial<ActorObservation> = {}): ActorObservation => ({
  sourceIp: '203.0.113.7',
  eventTime: at(iso),
  outcome: 'failure',
  signals: ['auth_failure'],
  ...extra,
});

describe(applyObservations.name, () => {
  it.each([
    {
      name: 'first event creates the profile',
      observations: [failure('2026-11-24T10:00:00Z', { userHash: 'u1' })],
      expected: {
        eventCount: 1,
        failureCount: 1,
        users: 1,
        first: '2026-11-24T10:00:00.000Z',
        last: '2026-11-24T10:00:00.000Z',
      },
    },
    {
      name: 'out-of-order events widen the span both ways',
      observations: [failure('2026-11-24T10:05:00Z'), failure('2026-11-24T10:00:00Z'), failure('2026-11-24T10:09:00Z')],
      expected: {
        eventCount: 3,
        failureCount: 3,
        users: 0,
        first: '2026-11-24T10:00:00.000Z',
        last: '2026-11-24T10:09:00.000Z',
      },
    },
    {
      name: 'distinct user hashes are counted once',
      observations: ['a', 'b', 'a', 'c'].map((u) => failure('2026-11-24T10:00:00Z', { userHash: u })),
      expected: {
        eventCount: 4,
        failureCount: 4,
        users: 3,
        first: '2026-11-24T10:00:00.000Z',
        last: '2026-11-24T10:00:00.000Z',
      },
    },
    {
      name: 'a success is not a failure',
      observations: [failure('2026-11-24T10:00:00Z', { outcome: 'success', signals: ['auth_success'] })],
      expected: {
        eventCount: 1,
        failureCount: 0,
        users: 0,
        first: '2026-11-24T10:00:00.000Z',
        last: '2026-11-24T10:00:00.000Z',
      },
    },
  ])('$name', ({ observations, expected }) => {
    const profile = applyObservations(undefined, '203.0.113.7', observations);
    expect({
      eventCount: profile.eventCount,
      failureCount: profile.failureCount,
      users: profile.userHashes.length,
      first: profile.firstSeen.toISOString(),
      last: profile.lastSeen.toISOString(),
    }).toEqual(expected);
  });

  it('keeps the timeline sorted and capped at the latest entries', () => {
    const base = Date.parse('2026-11-24T10:00:00Z');
    const observations = Array.from({ length: TIMELINE_CAP + 10 }, (_, i) =>
      failure(new Date(base + ((i * 7919) % 97) * 1000).toISOString()),
    );
    const timeline = applyObservations(undefined, '203.0.113.7', observations).signalTimeline.auth_failure ?? [];
    expect(timeline).toHaveLength(TIMELINE_CAP);
    expect([...timeline].sort((a, b) => a - b)).toEqual(timeline);
  });

  it('does not mutate the stored profile it starts from', () => {
    const before = applyObservations(undefined, '203.0.113.7', [failure('2026-11-24T10:00:00Z')]);
    const snapshot = JSON.stringify(before);
    applyObservations(before, '203.0.113.7', [failure('2026-11-24T10:01:00Z', { userHash: 'x' })]);
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});
