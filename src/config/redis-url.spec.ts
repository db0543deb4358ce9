import { describeRedisTarget, parseRedisUrl } from './redis-url';

describe(parseRedisUrl.name, () => {
  it.each([
    {
      name: 'host only',
      input: 'redis://cache.internal',
      expected: { host: 'cache.internal', port: 6379, db: 0, tls: false },
    },
    {
      name: 'port and database',
      input: 'redis://127.0.0.1:6380/2',
      expected: { host: '127.0.0.1', port: 6380, db: 2, tls: false },
    },
    {
      name: 'password only (AUTH password)',
      input: 'redis://:s3cret%40x@cache:6379/0',
      expected: { host: 'cache', port: 6379, db: 0, password: 's3cret@x', tls: false },
    },
    {
      name: 'ACL user and password over TLS',
      input: 'rediss://soc:pw@cache.example:6390/1',
      expected: { host: 'cache.example', port: 6390, db: 1, username: 'soc', password: 'pw', tls: true },
    },
    { name: 'IPv6 literal', input: 'redis://[::1]:6379', expected: { host: '::1', port: 6379, db: 0, tls: false } },
  ])('reads $name', ({ input, expected }) => {
    expect(parseRedisUrl(input)).toEqual(expected);
  });

  it.each([
    { name: 'not a URL', input: 'cache:6379', message: /redis:\/\// },
    { name: 'another scheme', input: 'http://cache:6379', message: /must start with redis:\/\/ or rediss:\/\// },
    { name: 'a database that is not a number', input: 'redis://cache/abc', message: /database index/ },
    { name: 'a nested path', input: 'redis://cache/2/3', message: /database index/ },
    { name: 'a query string', input: 'redis://cache/2?password=x', message: /no query/ },
    { name: 'a port out of range', input: 'redis://cache:70000/2', message: /URL/ },
  ])('refuses $name', ({ input, message }) => {
    expect(() => parseRedisUrl(input)).toThrow(message);
  });

  it('never puts the password in an error', () => {
    for (const input of [
      'redis://:hunter2-secret@cache/x',
      'redis://:hunter2-secret@cache:99999',
      'ftp://:hunter2-secret@h',
    ]) {
      expect(() => parseRedisUrl(input)).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
      );
    }
  });
});

describe(describeRedisTarget.name, () => {
  it.each([
    { input: 'redis://127.0.0.1:6379/2', expected: 'redis://127.0.0.1:6379/2' },
    { input: 'rediss://soc:hunter2@cache:6390/1', expected: 'rediss://***@cache:6390/1' },
    { input: 'redis://:hunter2@[::1]', expected: 'redis://***@[::1]:6379/0' },
  ])('shows $input as $expected', ({ input, expected }) => {
    expect(describeRedisTarget(parseRedisUrl(input))).toBe(expected);
  });
});
