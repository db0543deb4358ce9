import { TaggedEvent } from '../domain/event';
import { isNetworkKey, NetworkKeys } from './policy-networks';
import { StoredDecision } from '../domain/decision';
import { earliestEventTime, evaluationOrder, groupByKey, strongest } from './write-keys';

const event = (sourceIp: string, seconds: number): TaggedEvent => ({
  sourceIp,
  eventTime: new Date(Date.parse('2026-11-24T10:00:00Z') + seconds * 1000),
  outcome: 'failure',
  signals: ['auth_failure'],
});

/** IPv6 addresses count towards their /64 (written out by hand here), IPv4 towards nothing. */
const networksOf = (ip: string): NetworkKeys =>
  ip.startsWith('2001:db8:1:2:')
    ? { counted: ['2001:db8:1:2::/64'], covering: ['2001:db8:1:2::/64'] }
    : { counted: [], covering: ['203.0.113.0/24'] };

describe(groupByKey.name, () => {
  const events = [
    event('2001:db8:1:2::a', 0),
    event('203.0.113.7', 1),
    event('2001:db8:1:2::b', 2),
    event('2001:db8:1:2::a', 3),
  ];
  const keys = groupByKey(events, networksOf);

  it.each([
    { key: '2001:db8:1:2::a', seconds: [0, 3] },
    { key: '2001:db8:1:2::b', seconds: [2] },
    { key: '2001:db8:1:2::/64', seconds: [0, 2, 3] },
    { key: '203.0.113.7', seconds: [1] },
    { key: '203.0.113.0/24', seconds: null },
  ])('$key counts the events at $seconds', ({ key, seconds }) => {
    const times = keys.byKey.get(key)?.map((e) => (e.eventTime.getTime() - events[0].eventTime.getTime()) / 1000);
    expect(times ?? null).toEqual(seconds);
  });

  it('knows the addresses of each counted network, once each', () => {
    expect(keys.members.get('2001:db8:1:2::/64')).toEqual(['2001:db8:1:2::a', '2001:db8:1:2::b']);
  });

  it('judges addresses before networks', () => {
    expect(evaluationOrder(keys)).toEqual(['2001:db8:1:2::a', '203.0.113.7', '2001:db8:1:2::b', '2001:db8:1:2::/64']);
  });
});

describe('helpers', () => {
  it.each([
    { key: '203.0.113.0/24', network: true },
    { key: '2001:db8::/64', network: true },
    { key: '2001:db8::1', network: false },
  ])('isNetworkKey($key) is $network', ({ key, network }) => {
    expect(isNetworkKey(key)).toBe(network);
  });

  it('finds the earliest event time, whatever the order', () => {
    expect(earliestEventTime([event('a', 30), event('a', 10), event('a', 20)]).toISOString()).toBe(
      '2026-11-24T10:00:10.000Z',
    );
  });

  it('picks the strongest decision and skips the missing ones', () => {
    const d = (action: StoredDecision['action']): StoredDecision =>
      ({ action, expiresAt: new Date(0) }) as StoredDecision;
    expect(strongest([null, d('monitor'), undefined, d('block'), d('alert')])?.action).toBe('block');
    expect(strongest([null, undefined])).toBeNull();
  });
});
