import { validateEnvironment } from './environment';

const KEY = 'fake-anthropic-key-0123456789-secret';

describe('LLM settings in validateEnvironment', () => {
  it('defaults to auto, a current fast model, the public API and bounded queues', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      LLM_PROVIDER: 'auto',
      ANTHROPIC_MODEL: 'claude-haiku-5-5',
      ANTHROPIC_BASE_URL: 'https://api.anthropic.com',
      LLM_TIMEOUT_MS: 20_000,
      LLM_QUEUE_MAX: 1000,
      LLM_CONCURRENCY: 2,
      LLM_MAX_CALLS_PER_MINUTE: 60,
      LLM_MAX_RETRIES: 2,
    });
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('accepts anthropic with a key, and a loopback gateway over http', () => {
    const env = validateEnvironment({
      LLM_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4010',
      LLM_TIMEOUT_MS: '500',
    });
    expect(env).toMatchObject({
      LLM_PROVIDER: 'anthropic',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4010',
      LLM_TIMEOUT_MS: 500,
    });
  });

  it.each([
    {
      name: 'anthropic without a key',
      raw: { LLM_PROVIDER: 'anthropic' },
      error: /ANTHROPIC_API_KEY: is required when LLM_PROVIDER=anthropic/,
    },
    { name: 'an unknown provider', raw: { LLM_PROVIDER: 'openai' }, error: /LLM_PROVIDER/ },
    {
      name: 'a base URL that is not a URL',
      raw: { ANTHROPIC_BASE_URL: 'api.anthropic' },
      error: /ANTHROPIC_BASE_URL: must be an http\(s\) URL/,
    },
    {
      name: 'plain http to another host',
      raw: { ANTHROPIC_BASE_URL: 'http://gateway.example.com' },
      error: /ANTHROPIC_BASE_URL: must use https unless the host is loopback/,
    },
    {
      name: 'a model id with spaces',
      raw: { ANTHROPIC_MODEL: 'claude haiku' },
      error: /ANTHROPIC_MODEL: must be a model id/,
    },
    { name: 'a timeout of 0', raw: { LLM_TIMEOUT_MS: '0' }, error: /LLM_TIMEOUT_MS/ },
    { name: 'no workers', raw: { LLM_CONCURRENCY: '0' }, error: /LLM_CONCURRENCY/ },
    { name: 'too many retries', raw: { LLM_MAX_RETRIES: '50' }, error: /LLM_MAX_RETRIES/ },
  ])('refuses $name, naming the variable', ({ raw, error }) => {
    expect(() => validateEnvironment(raw)).toThrow(error);
  });

  it('never prints the key, whatever else is wrong', () => {
    let message = '';
    try {
      validateEnvironment({ ANTHROPIC_API_KEY: KEY, LLM_PROVIDER: 'nope', ANTHROPIC_BASE_URL: 'http://evil.example' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/Invalid configuration/);
    expect(message).not.toContain(KEY);
  });
});
