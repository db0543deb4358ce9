import { IngestTally, UNPARSED_REASONS, unparsedReason } from './ingest-tally';
import { parseLine } from './parsers/line';
import { parseRecord } from './record';

const now = new Date('2026-11-24T10:00:00Z');
const lineReason = (line: string): string | undefined => {
  const parsed = parseLine(line, { now });
  return parsed.ok ? undefined : parsed.reason;
};
const recordReason = (record: unknown): string | undefined => {
  const parsed = parseRecord(record, now);
  return parsed.ok ? undefined : parsed.reason;
};

describe(unparsedReason.name, () => {
  // The reasons come from the real parsers, so a reworded reason shows up here.
  it.each([
    { name: 'a line of invalid JSON', reason: lineReason('{"source_ip": '), label: 'invalid_json' },
    { name: 'a JSON line that is an array', reason: recordReason([1, 2]), label: 'not_an_object' },
    { name: 'a record without an address', reason: recordReason({ message: 'hello' }), label: 'no_source_address' },
    { name: 'a record with a bad address', reason: recordReason({ source_ip: '999.1.1.1' }), label: 'invalid_address' },
    {
      name: 'a record with a bad time',
      reason: recordReason({ source_ip: '203.0.113.7', timestamp: 'yesterday' }),
      label: 'invalid_time',
    },
    {
      name: 'a record with a wrong type',
      reason: recordReason({ source_ip: '203.0.113.7', http_status: 'x' }),
      label: 'invalid_field',
    },
    { name: 'a line over 64 KiB', reason: lineReason('x'.repeat(70_000)), label: 'too_long' },
    { name: 'a blank line', reason: lineReason('   '), label: 'empty' },
    { name: 'a line no parser reads', reason: lineReason('nothing any parser could read'), label: 'unrecognised' },
    { name: 'a forced format that does not fit', reason: parseLineForced('hello', 'cef'), label: 'unrecognised' },
    {
      name: 'a syslog line without an address',
      reason: lineReason('<38>Nov 24 10:00:00 host cron[1]: job done'),
      label: 'no_source_address',
    },
    { name: 'NDJSON line that is not JSON', reason: 'line is not valid JSON', label: 'invalid_json' },
    { name: 'no reason', reason: undefined, label: 'other' },
    { name: 'an unknown text', reason: 'the moon is full', label: 'other' },
  ])('$name → $label', ({ reason, label }) => {
    expect(unparsedReason(reason)).toBe(label);
  });

  it('answers only from its fixed vocabulary, whatever the text', () => {
    for (const text of ['', 'x'.repeat(1000), '<script>', 'not a line: ', 'must']) {
      expect(UNPARSED_REASONS).toContain(unparsedReason(text));
    }
  });
});

function parseLineForced(line: string, format: 'cef'): string | undefined {
  const parsed = parseLine(line, { now, format });
  return parsed.ok ? undefined : parsed.reason;
}

describe(IngestTally.name, () => {
  it('counts parsed records by format and refused ones by format and reason', () => {
    const tally = new IngestTally('raw');
    tally.ok('sshd');
    tally.ok('sshd');
    tally.failed(undefined, 'empty line');
    tally.failed('cef', 'not a cef line: no CEF: at the start');
    expect(tally.received).toBe(4);
    expect([...tally.parsed]).toEqual([['sshd', 2]]);
    expect([...tally.unparsed].map(([format, reasons]) => [format, [...reasons]])).toEqual([
      ['unknown', [['empty', 1]]],
      ['cef', [['unrecognised', 1]]],
    ]);
  });
});
