import { parseWebhookSettings, WebhookSettingsInput } from './webhook-settings';

const SECRET = 'webhook-secret-0123456789';
const base: WebhookSettingsInput = {
  WEBHOOK_ACTIONS: 'block,alert,pending',
  WEBHOOK_RULES: '',
  WEBHOOK_FORMAT: 'json',
};

describe(parseWebhookSettings.name, () => {
  it.each([
    { name: 'off by default', input: {}, targets: 0 },
    {
      name: 'an https URL',
      input: { WEBHOOK_URLS: 'https://hooks.example.org/soc', WEBHOOK_SECRET: SECRET },
      targets: 1,
    },
    {
      name: 'http to loopback',
      input: { WEBHOOK_URLS: 'http://127.0.0.1:9000/x', WEBHOOK_SECRET: SECRET },
      targets: 1,
    },
    {
      name: 'two URLs, spaces around',
      input: { WEBHOOK_URLS: ' https://a.example/x , https://b.example/y ', WEBHOOK_SECRET: SECRET },
      targets: 2,
    },
    {
      name: 'Slack without a secret',
      input: { WEBHOOK_URLS: 'https://hooks.slack.com/services/T/B/X', WEBHOOK_FORMAT: 'slack' as const },
      targets: 1,
    },
  ])('$name', ({ input, targets }) => {
    expect(parseWebhookSettings({ ...base, ...input }).targets).toHaveLength(targets);
  });

  it('reads the rules and kinds', () => {
    const settings = parseWebhookSettings({
      ...base,
      WEBHOOK_ACTIONS: 'block, pending',
      WEBHOOK_RULES: 'ssh-brute-force,manual',
    });
    expect([...settings.kinds]).toEqual(['block', 'pending']);
    expect([...(settings.rules ?? [])]).toEqual(['ssh-brute-force', 'manual']);
    expect(parseWebhookSettings(base).rules).toBeNull();
  });

  it.each([
    {
      name: 'plain http to a remote host',
      input: { WEBHOOK_URLS: 'http://hooks.example.org/x' },
      message: 'URL 1 of 1 must use https',
    },
    { name: 'not a URL', input: { WEBHOOK_URLS: 'hooks.example.org/secret-path' }, message: 'URL 1 of 1 is not a URL' },
    {
      name: 'credentials in the URL',
      input: { WEBHOOK_URLS: 'https://user:pw-secret@a.example/x' },
      message: 'must not carry credentials',
    },
    {
      name: 'json without a secret',
      input: { WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: undefined },
      message: 'WEBHOOK_SECRET: is required',
    },
    { name: 'an unknown action', input: { WEBHOOK_ACTIONS: 'block,ban' }, message: 'WEBHOOK_ACTIONS' },
    { name: 'no action', input: { WEBHOOK_ACTIONS: ' , ' }, message: 'WEBHOOK_ACTIONS' },
    { name: 'a bad rule id', input: { WEBHOOK_RULES: 'ssh brute' }, message: 'WEBHOOK_RULES' },
    {
      name: 'too many URLs',
      input: { WEBHOOK_URLS: Array(9).fill('https://a.example/x').join(',') },
      message: 'at most 8',
    },
  ])('refuses $name without echoing a URL', ({ input, message }) => {
    const run = () => parseWebhookSettings({ ...base, WEBHOOK_SECRET: SECRET, ...input });
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as Error).message).not.toMatch(/example|secret-path|pw-secret/);
    }
  });
});
