import { decisionsFor } from './decision.service';
import { Outcome } from './policy';

describe(decisionsFor.name, () => {
  const outcome = (action: Outcome['action']): Outcome => ({
    action,
    ruleId: 'ssh-brute-force',
    reason: '5 or more authentication failures within 10 minutes',
    hardEvidence: true,
    durationSeconds: 600,
    expiresAt: new Date('2026-11-24T10:10:00Z'),
    matchedRuleIds: ['ssh-brute-force'],
    simulated: false,
    allowListed: false,
  });

  it.each([
    { name: 'an address: one decision on it', key: '203.0.113.7', scope: 'ip', action: 'block', scopes: ['ip'] },
    { name: 'a local actor alert', key: 'alice@bastion', scope: 'local', action: 'alert', scopes: ['local'] },
    { name: 'a host-name alert', key: 'x.example', scope: 'hostname', action: 'alert', scopes: ['hostname'] },
  ] as const)('$name', ({ key, scope, action, scopes }) => {
    const made = decisionsFor(outcome(action), key, scope, []);
    expect(made.map((d) => d.scope)).toEqual(scopes);
    expect(made.every((d) => d.value === undefined && d.action === action)).toBe(true);
  });

  it('a host-name block is a block per address, the name in each reason, and an alert on the name', () => {
    const made = decisionsFor(outcome('block'), 'x.example', 'hostname', ['192.0.2.1', '2001:db8::1']);
    expect(made).toEqual([
      expect.objectContaining({
        scope: 'ip',
        value: '192.0.2.1',
        action: 'block',
        reason: expect.stringContaining('host name x.example resolves to 192.0.2.1') as string,
      }),
      expect.objectContaining({ scope: 'ip', value: '2001:db8::1', action: 'block' }),
      expect.objectContaining({
        scope: 'hostname',
        action: 'alert',
        reason: expect.stringContaining('192.0.2.1, 2001:db8::1') as string,
      }),
    ]);
    expect(made.filter((d) => d.action === 'block').every((d) => d.scope === 'ip')).toBe(true);
  });
});
