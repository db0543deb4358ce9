import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_URL, resolveSettings } from './settings';

describe(resolveSettings.name, () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-settings-'));
    config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ url: 'http://file.example:3000/', token: 'file-token', colour: 'red' }));
    chmodSync(config, 0o600);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    {
      name: 'nothing set',
      flags: {},
      env: { SOC_CONFIG: '/nonexistent/config.json' },
      expected: { url: DEFAULT_URL, token: undefined, source: 'nowhere' },
    },
    {
      name: 'the environment over the file',
      flags: {},
      env: { SOC_URL: 'http://env.example', SOC_ADMIN_TOKEN: 'env-token' },
      withFile: true,
      expected: { url: 'http://env.example', token: 'env-token', source: 'SOC_ADMIN_TOKEN' },
    },
    {
      name: 'the file alone',
      flags: {},
      env: {},
      withFile: true,
      expected: { url: 'http://file.example:3000', token: 'file-token' },
    },
    {
      name: 'the --url flag over everything',
      flags: { url: 'https://flag.example' },
      env: { SOC_URL: 'http://env.example' },
      withFile: true,
      expected: { url: 'https://flag.example', token: 'file-token' },
    },
  ])('$name', ({ flags, env, withFile, expected }) => {
    const warnings: string[] = [];
    const settings = resolveSettings(flags, { ...(withFile ? { SOC_CONFIG: config } : {}), ...env }, (m) =>
      warnings.push(m),
    );
    expect(settings).toMatchObject(expected);
    expect(warnings).toEqual(withFile ? [`${config}: ignoring unknown key(s) colour`] : []);
  });

  it.each([
    { name: 'a URL without a scheme', flags: { url: 'localhost:3000' }, message: /must start with http/ },
    { name: 'a missing named config file', flags: { config: '/nonexistent/soc.json' }, message: /cannot read/ },
  ])('refuses $name', ({ flags, message }) => {
    expect(() => resolveSettings(flags, {}, () => undefined)).toThrow(message);
  });

  it('refuses a config file others can read, and one that is not JSON', () => {
    const open = join(dir, 'open.json');
    writeFileSync(open, '{}');
    chmodSync(open, 0o644);
    expect(() => resolveSettings({ config: open }, {}, () => undefined)).toThrow(/mode 644\); chmod 600 it/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, 'url=x');
    chmodSync(broken, 0o600);
    expect(() => resolveSettings({ config: broken }, {}, () => undefined)).toThrow(/is not JSON/);
  });
});
