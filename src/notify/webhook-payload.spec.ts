import { createHmac } from 'node:crypto';
import { StoredDecision } from '../domain/decision';
import { DecisionNotice } from '../memory/write-observer';
import { kindOf, signatureHeader, slackEscape, wanted, webhookBody } from './webhook-payload';
import { WebhookKind } from '../config/webhook-settings';

const decision = (overrides: Partial<StoredDecision> = {}): StoredDecision => ({
  id: '0193a1b2-0000-7000-8000-000000000001',
  scope: 'ip',
  value: '203.0.113.7',
  status: 'active',
  createdBy: 'policy',
  action: 'block',
  origin: 'policy',
  ruleId: 'ssh-brute-force',
  reason: '12 failed logins in 10m',
  verdictId: null,
  createdAt: new Date('2026-11-24T10:00:00Z'),
  expiresAt: new Date('2026-11-24T14:00:00Z'),
  revokedAt: null,
  revokeReason: null,
  ...overrides,
});
const created = (overrides: Partial<StoredDecision> = {}): DecisionNotice => ({
  change: 'created',
  decision: decision(overrides),
});
const settings = (kinds: WebhookKind[], rules: string[] | null = null) => ({
  kinds: new Set(kinds),
  rules: rules === null ? null : new Set(rules),
});

describe(wanted.name, () => {
  it.each([
    { name: 'an active block', notice: created(), kinds: ['block'], rules: null, expected: true },
    {
      name: 'an alert when only blocks are asked',
      notice: created({ action: 'alert' }),
      kinds: ['block'],
      rules: null,
      expected: false,
    },
    {
      name: 'a pending block as pending',
      notice: created({ status: 'pending' }),
      kinds: ['pending'],
      rules: null,
      expected: true,
    },
    {
      name: 'a pending block when only blocks are asked',
      notice: created({ status: 'pending' }),
      kinds: ['block'],
      rules: null,
      expected: false,
    },
    {
      name: 'a simulated block, never',
      notice: created({ status: 'simulated' }),
      kinds: ['block', 'pending'],
      rules: null,
      expected: false,
    },
    {
      name: 'a rejected one, never',
      notice: created({ status: 'rejected' }),
      kinds: ['block', 'pending'],
      rules: null,
      expected: false,
    },
    {
      name: 'an approved block as a block',
      notice: { change: 'approved' as const, decision: decision() },
      kinds: ['block'],
      rules: null,
      expected: true,
    },
    { name: 'a rule asked for', notice: created(), kinds: ['block'], rules: ['ssh-brute-force'], expected: true },
    { name: 'a rule not asked for', notice: created(), kinds: ['block'], rules: ['manual'], expected: false },
  ])('$name → $expected', ({ notice, kinds, rules, expected }) => {
    expect(wanted(notice, settings(kinds as WebhookKind[], rules))).toBe(expected);
  });

  it('classifies every status', () => {
    expect(
      ['active', 'pending', 'simulated', 'rejected'].map((status) =>
        kindOf(created({ status: status as StoredDecision['status'] })),
      ),
    ).toEqual(['block', 'pending', null, null]);
  });
});

describe(signatureHeader.name, () => {
  it('is t=<seconds>,v1=<HMAC-SHA256 hex of "t.body">', () => {
    const body = '{"a":1}';
    const expected = createHmac('sha256', 'k'.repeat(16)).update(`1764000000.${body}`).digest('hex');
    expect(signatureHeader('k'.repeat(16), body, 1764000000)).toBe(`t=1764000000,v1=${expected}`);
  });
});

describe(webhookBody.name, () => {
  it('JSON: the delivery id, the event type, the decision with ISO times', () => {
    const body = JSON.parse(webhookBody(created(), 'json', 'd-1', new Date('2026-11-24T10:00:01Z')));
    expect(body).toEqual({
      id: 'd-1',
      type: 'decision.created',
      sentAt: '2026-11-24T10:00:01.000Z',
      decision: expect.objectContaining({ value: '203.0.113.7', expiresAt: '2026-11-24T14:00:00.000Z' }),
    });
    expect(body.decision.verdictId).toBeUndefined();
  });

  it.each([
    { name: 'a block', notice: created(), contains: ':no_entry: *block* ip `203.0.113.7`' },
    {
      name: 'a pending block',
      notice: created({ status: 'pending' }),
      contains: ':hourglass: *block pending approval*',
    },
    {
      name: 'an approval',
      notice: { change: 'approved' as const, decision: decision() },
      contains: '*block approved*',
    },
    {
      name: 'a reason with markup',
      notice: created({ reason: '<!channel> & <http://x|y>' }),
      contains: '&lt;!channel&gt; &amp; &lt;http://x|y&gt;',
    },
  ])('Slack: $name', ({ notice, contains }) => {
    const body = JSON.parse(webhookBody(notice, 'slack', 'd-1', new Date()));
    expect(body.text).toContain(contains);
  });

  it.each([
    { input: 'a & b', output: 'a &amp; b' },
    { input: '<@U123>', output: '&lt;@U123&gt;' },
    { input: 'plain', output: 'plain' },
  ])('slackEscape($input)', ({ input, output }) => {
    expect(slackEscape(input)).toBe(output);
  });
});
