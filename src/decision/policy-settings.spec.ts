import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY } from './default-policy';
import { defaultPolicyPath } from './policy-file';
import { loadPolicySettings } from './policy-settings';

describe(loadPolicySettings.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-settings-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the default policy and no extra networks when nothing is set', () => {
    const settings = loadPolicySettings({ ALLOWLIST_CIDRS: '' });
    expect(settings.policy).toBe(DEFAULT_POLICY);
    expect(settings.source).toBe('policy/default.yaml');
    expect(settings.allowlistCidrs).toEqual([]);
  });

  it('reads POLICY_FILE once and canonicalises ALLOWLIST_CIDRS', () => {
    const text = readFileSync(defaultPolicyPath(), 'utf8').replace(/^version: .*$/m, 'version: single-read');
    const path = file('single.yaml', text);
    const settings = loadPolicySettings({ POLICY_FILE: path, ALLOWLIST_CIDRS: '10.1.2.3, 2001:DB8::/32' });
    expect(settings.policy.version).toBe('single-read');
    expect(settings.source).toBe(path);
    expect(settings.allowlistCidrs).toEqual(['10.1.2.3/32', '2001:db8::/32']);
  });

  it.each([
    {
      name: 'an allow-list entry that is no network',
      env: { ALLOWLIST_CIDRS: '10.0.0.0/8,office' },
      reason: /^Invalid configuration:\n {2}ALLOWLIST_CIDRS: "office" is not an IP address or CIDR/,
    },
    {
      name: 'a policy file that is missing',
      env: { ALLOWLIST_CIDRS: '', POLICY_FILE: join(dir, 'missing.yaml') },
      reason:
        /^Invalid configuration:\n {2}POLICY_FILE: .*missing\.yaml is not a valid policy:\n {4}cannot be read: ENOENT/,
    },
  ])('stops the start on $name', ({ env, reason }) => {
    expect(() => loadPolicySettings(env)).toThrow(reason);
  });
});
