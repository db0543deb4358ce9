import { LIMITS, NormalisedEvent } from '../domain/event';
import { clip, NO_SOURCE_ADDRESS, ParsedRecord, toEvent } from './normalise';
import { LineFormat } from './parsers/formats';
import { parseLine } from './parsers/line';
import { parseRecord } from './record';

const now = new Date('2026-11-24T12:00:00Z');

function event(parsed: ParsedRecord): NormalisedEvent {
  if (!parsed.ok) {
    throw new Error(parsed.reason);
  }
  return parsed.event;
}

/** The line's event without what only a line has: the format it was read as. */
function withoutFormat({ lineFormat: _format, ...rest }: NormalisedEvent): NormalisedEvent {
  return rest;
}

const longPath = `/search/${'a'.repeat(8000)}`;
const longQuery = `q=${'b'.repeat(1000)}`;
const sshdFailure = 'Failed password for invalid user admin from 203.0.113.7 port 40000 ssh2';

describe(toEvent.name, () => {
  describe('a JSON record and a raw line saying the same thing give the same event', () => {
    it.each<{ name: string; record: Record<string, unknown>; line: string; format?: LineFormat; expected: object }>([
      {
        name: 'an sshd failure (address, port, user and attempt from the message)',
        record: { message: sshdFailure },
        line: sshdFailure,
        format: 'sshd',
        expected: {
          eventTime: now,
          sourceIp: '203.0.113.7',
          sourcePort: 40000,
          eventType: 'ssh_failed_password',
          outcome: 'failure',
          user: 'admin',
          message: sshdFailure,
          attempt: { keys: ['a:40000'], role: 'failed', count: 1 },
        },
      },
      {
        name: 'a web request (its url clipped to LIMITS.url the same way)',
        record: {
          '@timestamp': '2026-11-24T10:00:00Z',
          source: { ip: '198.51.100.9' },
          event: { action: 'http_request' },
          message: `GET ${longPath}?${longQuery} HTTP/1.1`,
          url: { path: longPath, query: longQuery },
          http: { request: { method: 'GET' }, response: { status_code: 404 } },
          user_agent: { original: 'curl/8.5.0' },
        },
        line: `198.51.100.9 - - [24/Nov/2026:10:00:00 +0000] "GET ${longPath}?${longQuery} HTTP/1.1" 404 0 "-" "curl/8.5.0"`,
        format: 'access',
        expected: {
          eventTime: new Date('2026-11-24T10:00:00Z'),
          sourceIp: '198.51.100.9',
          eventType: 'http_request',
          url: clip(`${longPath}?${longQuery}`, LIMITS.url),
          httpMethod: 'GET',
          httpStatus: 404,
          userAgent: 'curl/8.5.0',
        },
      },
    ])('$name', ({ record, line, format, expected }) => {
      const fromRecord = event(parseRecord(record, now));
      const fromLine = withoutFormat(event(parseLine(line, { now, format })));
      expect(fromRecord).toMatchObject(expected);
      expect(fromLine).toMatchObject(expected);
      expect(Object.keys(fromRecord).sort()).toEqual(Object.keys(fromLine).sort());
    });
  });

  it.each([
    { field: 'eventType', limit: LIMITS.eventType },
    { field: 'host', limit: LIMITS.host },
    { field: 'user', limit: LIMITS.user },
    { field: 'message', limit: LIMITS.message },
    { field: 'url', limit: LIMITS.url },
    { field: 'userAgent', limit: LIMITS.userAgent },
    { field: 'referer', limit: LIMITS.url },
    { field: 'original', limit: LIMITS.message },
  ] as const)('clips $field to $limit characters, ending in …, whatever the input', ({ field, limit }) => {
    const made = event(toEvent({ ip: '192.0.2.1', [field]: 'x'.repeat(limit + 10) }, { now }));
    expect(made[field]).toHaveLength(limit);
    expect(made[field]?.endsWith('…')).toBe(true);
    const fits = event(toEvent({ ip: '192.0.2.1', [field]: 'x'.repeat(limit) }, { now }));
    expect(fits[field]).toBe('x'.repeat(limit));
  });

  it.each([
    {
      name: 'an address that is not one',
      fields: { ip: 'nope', ipField: 'source_ip' },
      reason: 'source_ip is not a valid IP address',
    },
    { name: 'no address at all', fields: {}, reason: NO_SOURCE_ADDRESS },
    { name: 'no address, in the words of the input', fields: {}, noAddress: 'give one', reason: 'give one' },
  ])('refuses $name', ({ fields, noAddress, reason }) => {
    expect(toEvent(fields, { now, noAddress })).toEqual({ ok: false, reason });
  });

  it('takes nothing from an sshd message about another address', () => {
    const facts = event(parseLine(sshdFailure, { now, format: 'sshd' }));
    const other = event(parseRecord({ source_ip: '192.0.2.44', message: sshdFailure }, now));
    expect(facts.user).toBe('admin');
    expect(other).toMatchObject({ sourceIp: '192.0.2.44', outcome: 'unknown', user: undefined, sourcePort: undefined });
    expect(other.attempt).toBeUndefined();
  });
});
