import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { defaultPolicyPath } from '../src/decision/policy-file';
import { startApp, TestApp } from './harness';

/** `count` sshd failures from `ip`, timed now (the service's clock is the wall clock). */
function failures(ip: string, count: number): { message: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    message: `Failed password for root from ${ip} port ${41000 + i} ssh2`,
  }));
}

async function send(t: TestApp, events: object[]): Promise<request.Response[]> {
  const answers: request.Response[] = [];
  for (const event of events) {
    answers.push(await request(t.server).post('/ingest-log').send(event).expect(202));
  }
  return answers;
}

async function published(t: TestApp, action?: string): Promise<{ value: string; scope: string }[]> {
  const res = await request(t.server)
    .get(`/decisions${action === undefined ? '' : `?action=${action}`}`)
    .expect(200);
  return res.body.items;
}

describe('policy engine over HTTP', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-policy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The default policy file with `edit` applied to its text. */
  function policyFile(name: string, edit: (text: string) => string): string {
    const path = join(dir, name);
    writeFileSync(path, edit(readFileSync(defaultPolicyPath(), 'utf8')));
    return path;
  }

  describe('with ALLOWLIST_CIDRS and the default policy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ ALLOWLIST_CIDRS: '10.20.0.0/16, 2001:db8:aaaa::/48' });
    });
    afterAll(() => t.close());

    it.each([
      { name: 'IPv4 in the list', ip: '10.20.30.40', actor: '10.20.30.40' },
      { name: 'its IPv4-mapped spelling', ip: '::ffff:10.20.30.41', actor: '10.20.30.41' },
      { name: 'IPv6 in the list', ip: '2001:db8:aaaa:1::5', actor: '2001:db8:aaaa:1::5' },
    ])('an allow-listed brute force ($name) is alerted, never blocked', async ({ ip, actor }) => {
      const answers = await send(t, failures(ip, 6));
      const last = answers[answers.length - 1].body;
      expect(last.actor).toBe(actor);
      expect(last.decision).toMatchObject({ action: 'alert', ruleId: 'ssh-brute-force' });
      expect(last.decision.reason).toMatch(/not blocked: allow-listed by .* \(ALLOWLIST_CIDRS\)/);
      expect((await published(t, 'block')).map((d) => d.value)).not.toContain(actor);
    });

    it('blocks an IPv6 attacker rotating through its /64, and shows the range on the answer', async () => {
      const ips = [
        '2001:db8:77:1::1',
        '2001:db8:77:1::2',
        '2001:db8:77:1:a::3',
        '2001:db8:77:1:b::4',
        '2001:db8:77:1::5',
      ];
      const answers = await send(
        t,
        ips.map((ip, i) => ({ message: `Failed password for root from ${ip} port ${42000 + i} ssh2` })),
      );
      expect(answers[4].body.actor).toBe('2001:db8:77:1::5');
      expect(answers[4].body.decision).toMatchObject({
        action: 'block',
        scope: 'range',
        value: '2001:db8:77:1::/64',
        ruleId: 'ssh-brute-force',
      });
      expect(await published(t, 'block')).toEqual(
        expect.arrayContaining([expect.objectContaining({ scope: 'range', value: '2001:db8:77:1::/64' })]),
      );
    });

    it('treats an active manual allow like the allow-list, for an address or a range', async () => {
      await request(t.server)
        .post('/decisions')
        .send({ action: 'allow', value: '192.0.2.0/28', duration: '1h', reason: 'pen test this week', by: 'alice' })
        .expect(201);
      const answers = await send(t, failures('192.0.2.9', 5));
      expect(answers[4].body.decision).toMatchObject({ action: 'alert', ruleId: 'ssh-brute-force' });
      expect(answers[4].body.decision.reason).toMatch(/allow-listed by 192\.0\.2\.0\/28 \(manual allow by alice\)/);
      const outside = await send(t, failures('192.0.2.99', 5));
      expect(outside[4].body.decision).toMatchObject({ action: 'block', value: '192.0.2.99' });
    });
  });

  describe('with a policy file that simulates every decision', () => {
    let t: TestApp;
    beforeAll(async () => {
      const path = policyFile('simulate.yaml', (text) => text.replace('simulate: false\n', 'simulate: true\n'));
      t = await startApp({ POLICY_FILE: path });
    });
    afterAll(() => t.close());

    it('answers with the simulated decision and publishes nothing', async () => {
      const answers = await send(t, failures('198.51.100.66', 5));
      expect(answers[4].body.decision).toMatchObject({
        action: 'block',
        status: 'simulated',
        ruleId: 'ssh-brute-force',
      });
      expect(await published(t)).toEqual([]);
    });
  });

  describe('start-up', () => {
    it('refuses an invalid policy file, naming the field, its line and the reason', async () => {
      const path = policyFile('bad.yaml', (text) =>
        text.replace('atLeast: 5, withinSeconds: 10m }', 'atLeast: 500, withinSeconds: 10m }'),
      );
      await expect(startApp({ POLICY_FILE: path })).rejects.toThrow(
        /POLICY_FILE: .*bad\.yaml is not a valid policy:\n {4}rules\[0\]\.when\.atLeast \(line \d+\): must be an integer between 1 and 64/,
      );
    });

    it('refuses a policy file that does not exist', async () => {
      await expect(startApp({ POLICY_FILE: join(dir, 'missing.yaml') })).rejects.toThrow(
        /POLICY_FILE: .*missing\.yaml is not a valid policy:\n {4}cannot be read: ENOENT/,
      );
    });

    it.each([
      {
        value: '10.0.0.1/8',
        reason: /ALLOWLIST_CIDRS: "10\.0\.0\.1\/8" has host bits set; did you mean 10\.0\.0\.0\/8\?/,
      },
      { value: '10.0.0.0/8,office', reason: /ALLOWLIST_CIDRS: "office" is not an IP address or CIDR/ },
    ])('refuses ALLOWLIST_CIDRS=$value', async ({ value, reason }) => {
      await expect(startApp({ ALLOWLIST_CIDRS: value })).rejects.toThrow(reason);
    });
  });
});
