import { DEFAULT_POLICY } from './default-policy';
import { RangeEscalation } from './policy';
import { networkOf } from '../domain/ip';
import {
  escalate,
  escalationNetwork,
  fastNetworkOf,
  isNetworkKey,
  networkAddress,
  networkKeysOf,
} from './policy-networks';

const ESCALATION = DEFAULT_POLICY.rangeEscalation as RangeEscalation;

describe(networkKeysOf.name, () => {
  it.each([
    { ip: '203.0.113.7', counted: [], covering: ['203.0.113.0/24'] },
    { ip: '2001:db8:1:2:aaaa::1', counted: ['2001:db8:1:2::/64'], covering: ['2001:db8:1:2::/64'] },
    { ip: '2001:db8:1:2:ffff:ffff:ffff:ffff', counted: ['2001:db8:1:2::/64'], covering: ['2001:db8:1:2::/64'] },
    { ip: '2001:db8::1', counted: ['2001:db8::/64'], covering: ['2001:db8::/64'] },
    { ip: '2001:db8:1:2::/64', counted: [], covering: [] },
  ])('$ip', ({ ip, counted, covering }) => {
    expect(networkKeysOf(ip, DEFAULT_POLICY)).toEqual({ counted, covering });
  });

  it.each([
    {
      name: 'IPv4 counted by /24 when asked',
      settings: { aggregate: { ipv4Prefix: 24, ipv6Prefix: 64 }, rangeEscalation: null },
      ip: '198.51.100.9',
      expected: { counted: ['198.51.100.0/24'], covering: ['198.51.100.0/24'] },
    },
    {
      name: 'IPv6 /48 counting with /64 escalation',
      settings: { aggregate: { ipv4Prefix: null, ipv6Prefix: 48 }, rangeEscalation: ESCALATION },
      ip: '2001:db8:1:2::9',
      expected: { counted: ['2001:db8:1::/48'], covering: ['2001:db8:1::/48', '2001:db8:1:2::/64'] },
    },
    {
      name: 'nothing when both are off',
      settings: { aggregate: { ipv4Prefix: null, ipv6Prefix: null }, rangeEscalation: null },
      ip: '2001:db8::9',
      expected: { counted: [], covering: [] },
    },
  ])('$name', ({ settings, ip, expected }) => {
    expect(networkKeysOf(ip, settings)).toEqual(expected);
  });
});

describe('network keys', () => {
  it.each([
    { key: '2001:db8:1:2::/64', network: true, address: '2001:db8:1:2::' },
    { key: '203.0.113.0/24', network: true, address: '203.0.113.0' },
    { key: '203.0.113.7', network: false, address: null },
  ])('$key', ({ key, network, address }) => {
    expect(isNetworkKey(key)).toBe(network);
    if (address !== null) {
      expect(networkAddress(key)).toBe(address);
    }
  });

  it.each([
    { ip: '203.0.113.200', network: '203.0.113.0/24' },
    { ip: '2001:db8:aa:bb:1:2:3:4', network: '2001:db8:aa:bb::/64' },
  ])('$ip escalates towards $network', ({ ip, network }) => {
    expect(escalationNetwork(ip, ESCALATION)).toBe(network);
  });
});

describe(escalate.name, () => {
  const base = {
    network: '203.0.113.0/24',
    blockedMembers: 3,
    inForce: null,
    allow: null,
    escalation: ESCALATION,
    simulate: false,
  };

  it.each([
    { name: 'below the threshold: nothing', change: { blockedMembers: 2 }, action: null },
    { name: 'at the threshold: block the range', change: {}, action: 'block' },
    { name: 'above it: block the range', change: { blockedMembers: 9 }, action: 'block' },
    { name: 'the range is already blocked: nothing', change: { inForce: 'block' }, action: null },
    { name: 'an alert on the range is raised to a block', change: { inForce: 'alert' }, action: 'block' },
    {
      name: 'a range holding an allowed address: alert',
      change: { allow: { description: '203.0.113.1/32 (ALLOWLIST_CIDRS)' } },
      action: 'alert',
    },
  ] as { name: string; change: Partial<Parameters<typeof escalate>[0]>; action: string | null }[])(
    '$name',
    ({ change, action }) => {
      expect(escalate({ ...base, ...change })?.action ?? null).toBe(action);
    },
  );

  it('says how many addresses, which rule, and whether it is simulated', () => {
    expect(escalate({ ...base, blockedMembers: 4, simulate: true })).toEqual({
      network: '203.0.113.0/24',
      action: 'block',
      ruleId: 'range-escalation',
      reason: '3 or more addresses of one network blocked within 1 hour (4 addresses)',
      durationSeconds: 3600,
      simulated: true,
    });
  });
});

describe(fastNetworkOf.name, () => {
  it.each([
    { ip: '203.0.113.7', prefix: 24 },
    { ip: '203.0.113.7', prefix: 32 },
    { ip: '203.0.113.7', prefix: 0 },
    { ip: '255.255.255.255', prefix: 1 },
    { ip: '10.200.17.9', prefix: 13 },
    { ip: '192.0.2.130', prefix: 25 },
    { ip: '2001:db8:1:2::9', prefix: 64 },
    { ip: '2001:db8:1:2::9', prefix: 48 },
  ])('$ip/$prefix is what networkOf says', ({ ip, prefix }) => {
    expect(fastNetworkOf(ip, prefix)).toBe(networkOf(ip, prefix));
  });
});
