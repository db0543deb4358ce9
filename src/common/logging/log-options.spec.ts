import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttpOptions, requestIdFor, requestLogLevel } from './log-options';

describe(requestIdFor.name, () => {
  it.each([
    { name: 'a sane id is kept', presented: 'trace-42.a', kept: true },
    { name: 'a UUID is kept', presented: '0b6f2f4e-3f5e-4c1e-9a53-3c2f0e1d7a10', kept: true },
    { name: 'spaces are refused', presented: 'a b', kept: false },
    { name: 'a newline (log forging) is refused', presented: 'x\n{"level":"info"}', kept: false },
    { name: 'over 64 characters is refused', presented: 'a'.repeat(65), kept: false },
    { name: 'an empty header is refused', presented: '', kept: false },
    { name: 'a repeated header is refused', presented: ['a', 'b'], kept: false },
    { name: 'no header', presented: undefined, kept: false },
  ])('$name', ({ presented, kept }) => {
    const id = requestIdFor(presented);
    if (kept) {
      expect(id).toBe(presented);
    } else {
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe(requestLogLevel.name, () => {
  it.each([
    { status: 200, level: 'debug' },
    { status: 202, level: 'debug' },
    { status: 304, level: 'debug' },
    { status: 401, level: 'warn' },
    { status: 403, level: 'warn' },
    { status: 429, level: 'warn' },
    { status: 500, level: 'error' },
    { status: 503, level: 'error' },
  ])('$status → $level', ({ status, level }) => {
    expect(requestLogLevel(status)).toBe(level);
  });
});

describe('pinoHttpOptions redaction', () => {
  it('censors credential headers and secret-named fields even when a log call passes them', () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const options = pinoHttpOptions('log');
    const logger = pino({ redact: options.redact, timestamp: options.timestamp }, sink);
    logger.info(
      {
        req: {
          headers: {
            authorization: 'Splunk s3cr3t-hec',
            'x-soc-token': 's3cr3t-ingest',
            'x-soc-admin-token': 's3cr3t-admin',
            'x-api-key': 's3cr3t-bouncer',
            cookie: 'session=s3cr3t-cookie',
          },
        },
        webhook: { secret: 's3cr3t-webhook', token: 's3cr3t-tok' },
      },
      'hello',
    );
    expect(written).not.toContain('s3cr3t');
    expect(written).toContain('[redacted]');
    expect(JSON.parse(written).time).toMatch(/Z$/);
  });
});
