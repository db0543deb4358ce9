import { validateEnvironment } from './environment';

describe(validateEnvironment.name, () => {
  it('applies every default on an empty environment', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_PATH: './data/soc.sqlite',
      INGEST_RATE_LIMIT: 500,
      INGEST_MAX_BODY: 1048576,
      INGEST_MAX_BATCH: 10000,
      LLM_PROVIDER: 'auto',
      AUTH_FAILURE_LIMIT: 20,
      ALLOW_OPEN: 'false',
    });
    expect(env.SOC_INGEST_TOKENS).toBeUndefined();
    expect(env.NODE_ENV).toBeUndefined();
    expect(env.SOC_INGEST_TOKEN).toBeUndefined();
    expect(env.SYSLOG_TCP_PORT).toBeUndefined();
  });

  it('reads numbers and optional settings from text, and treats empty as unset', () => {
    const env = validateEnvironment({
      PORT: '8080',
      SYSLOG_TCP_PORT: '0',
      SOC_INGEST_TOKEN: '',
      INGEST_RATE_LIMIT: '1000',
    });
    expect(env).toMatchObject({ PORT: 8080, SYSLOG_TCP_PORT: 0, INGEST_RATE_LIMIT: 1000 });
    expect(env.SOC_INGEST_TOKEN).toBeUndefined();
  });

  it.each([
    { name: 'a port out of range', raw: { PORT: '70000' }, message: /PORT: must not be greater than 65535/ },
    { name: 'a non-numeric limit', raw: { INGEST_RATE_LIMIT: 'lots' }, message: /INGEST_RATE_LIMIT/ },
    { name: 'an unknown provider', raw: { LLM_PROVIDER: 'gpt' }, message: /LLM_PROVIDER/ },
    { name: 'a bad proxy list', raw: { TRUST_PROXY: '10.0.0.0/33' }, message: /TRUST_PROXY/ },
    { name: 'a tiny body limit', raw: { INGEST_MAX_BODY: '10' }, message: /INGEST_MAX_BODY/ },
    {
      name: 'a Redis URL of another scheme',
      raw: { REDIS_URL: 'http://cache:6379' },
      message: /REDIS_URL: must start/,
    },
    { name: 'a Redis URL with a path', raw: { REDIS_URL: 'redis://cache/db2' }, message: /REDIS_URL: the path/ },
    { name: 'a Redis key prefix with spaces', raw: { REDIS_KEY_PREFIX: 'my soc' }, message: /REDIS_KEY_PREFIX/ },
  ])('stops the start on $name with a readable message', ({ raw, message }) => {
    expect(() => validateEnvironment(raw)).toThrow(message);
  });

  it.each([
    { name: 'unset', raw: {}, expected: { REDIS_URL: undefined, REDIS_KEY_PREFIX: 'soc:' } },
    { name: 'empty (unset)', raw: { REDIS_URL: '' }, expected: { REDIS_URL: undefined, REDIS_KEY_PREFIX: 'soc:' } },
    {
      name: 'a URL and a prefix',
      raw: { REDIS_URL: 'redis://:pw@cache:6379/2', REDIS_KEY_PREFIX: 'soc-eu:' },
      expected: { REDIS_URL: 'redis://:pw@cache:6379/2', REDIS_KEY_PREFIX: 'soc-eu:' },
    },
  ])('reads REDIS_URL $name', ({ raw, expected }) => {
    expect(validateEnvironment(raw)).toMatchObject(expected);
  });

  it('refuses a bad REDIS_URL without printing its password', () => {
    const message = (() => {
      try {
        validateEnvironment({ REDIS_URL: 'redis://:hunter2-secret@cache/x?y' });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/REDIS_URL: /);
    expect(message).not.toContain('hunter2');
  });

  it('names a short token without printing it', () => {
    const secret = 'short-secret';
    let text = '';
    try {
      validateEnvironment({ SOC_INGEST_TOKEN: secret, SOC_ADMIN_TOKEN: 'another-short' });
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text).toMatch(/SOC_INGEST_TOKEN: must be at least 16 characters/);
    expect(text).toMatch(/SOC_ADMIN_TOKEN/);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('another-short');
  });
});
