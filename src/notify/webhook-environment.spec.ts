import { validateEnvironment } from '../config/environment';

const SECRET = 'hook-secret-value-0123456789';
const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';

describe('validateEnvironment: webhooks and logs', () => {
  it('has webhooks off, text logs and the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env.WEBHOOK_URLS).toBeUndefined();
    expect(env).toMatchObject({
      LOG_FORMAT: 'text',
      WEBHOOK_ACTIONS: 'block,alert,pending',
      WEBHOOK_RULES: '',
      WEBHOOK_FORMAT: 'json',
      WEBHOOK_TIMEOUT_MS: 5000,
      WEBHOOK_MAX_ATTEMPTS: 6,
      WEBHOOK_RETRY_BASE_MS: 2000,
      WEBHOOK_QUEUE_MAX: 1000,
    });
  });

  it.each([
    { name: 'json logs', raw: { LOG_FORMAT: 'json' } },
    {
      name: 'a signed JSON webhook',
      raw: { WEBHOOK_URLS: 'https://soar.example.org/hooks/soc', WEBHOOK_SECRET: SECRET },
    },
    { name: 'a Slack webhook', raw: { WEBHOOK_URLS: SLACK, WEBHOOK_FORMAT: 'slack' } },
  ])('accepts $name', ({ raw }) => {
    expect(() => validateEnvironment(raw)).not.toThrow();
  });

  it.each([
    { name: 'an unknown log format', raw: { LOG_FORMAT: 'xml' }, message: 'LOG_FORMAT' },
    { name: 'a JSON webhook without a secret', raw: { WEBHOOK_URLS: SLACK }, message: 'WEBHOOK_SECRET: is required' },
    { name: 'a short secret', raw: { WEBHOOK_URLS: SLACK, WEBHOOK_SECRET: 'short-secret' }, message: 'WEBHOOK_SECRET' },
    {
      name: 'plain http to a remote host',
      raw: { WEBHOOK_URLS: SLACK.replace('https', 'http'), WEBHOOK_FORMAT: 'slack' },
      message: 'must use https',
    },
    { name: 'an unknown action', raw: { WEBHOOK_ACTIONS: 'block,nuke' }, message: 'WEBHOOK_ACTIONS' },
    { name: 'an unknown format', raw: { WEBHOOK_FORMAT: 'teams' }, message: 'WEBHOOK_FORMAT' },
    { name: 'zero attempts', raw: { WEBHOOK_MAX_ATTEMPTS: '0' }, message: 'WEBHOOK_MAX_ATTEMPTS' },
  ])('refuses $name, naming the variable and never the URL or secret', ({ raw, message }) => {
    let text = '';
    try {
      validateEnvironment(raw);
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text).toContain(message);
    expect(text).not.toContain('XXXXSECRETXXXX');
    expect(text).not.toContain('short-secret');
  });
});
