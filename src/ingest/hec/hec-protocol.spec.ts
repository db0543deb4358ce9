import { formatForSourcetype, readEnvelope, splitConcatenatedJson } from './hec-protocol';

describe(splitConcatenatedJson.name, () => {
  it.each([
    { name: 'back to back', text: '{"a":1}{"b":2}', values: [{ a: 1 }, { b: 2 }], invalidAt: undefined },
    { name: 'one per line', text: '{"a":1}\n{"b":2}\n', values: [{ a: 1 }, { b: 2 }], invalidAt: undefined },
    {
      name: 'braces inside strings',
      text: '{"a":"}{"}{"b":"\\"}"}',
      values: [{ a: '}{' }, { b: '"}' }],
      invalidAt: undefined,
    },
    { name: 'whitespace around', text: '  {"a":1}  \r\n ', values: [{ a: 1 }], invalidAt: undefined },
    { name: 'a truncated second value', text: '{"a":1}{"b":', values: [{ a: 1 }], invalidAt: 1 },
    { name: 'garbage between values', text: '{"a":1}xx{"b":2}', values: [{ a: 1 }], invalidAt: 1 },
    { name: 'a bare number', text: '42', values: [], invalidAt: 0 },
    { name: 'invalid JSON inside balanced braces', text: "{'a':1}", values: [], invalidAt: 0 },
    { name: 'nothing', text: '', values: [], invalidAt: undefined },
  ])('$name', ({ text, values, invalidAt }) => {
    expect(splitConcatenatedJson(text)).toEqual(invalidAt === undefined ? { values } : { values, invalidAt });
  });
});

describe(readEnvelope.name, () => {
  it.each([
    {
      name: 'an object event gets the envelope time and host',
      envelope: { time: 1764000000.5, host: 'h1', event: { source_ip: '192.0.2.1' } },
      expected: { kind: 'record', record: { source_ip: '192.0.2.1', timestamp: 1764000000500, host: 'h1' } },
    },
    {
      name: 'the event keeps its own time',
      envelope: { time: 1, event: { source_ip: '192.0.2.1', timestamp: '2026-11-24T10:00:00Z' } },
      expected: { kind: 'record', record: { source_ip: '192.0.2.1', timestamp: '2026-11-24T10:00:00Z' } },
    },
    {
      name: 'an ECS event gets @timestamp and host.name',
      envelope: { time: '1764000000', host: 'h1', event: { source: { ip: '192.0.2.1' } } },
      expected: {
        kind: 'record',
        record: { source: { ip: '192.0.2.1' }, '@timestamp': 1764000000000, host: { name: 'h1' } },
      },
    },
    {
      name: 'fields fill what the event lacks',
      envelope: { event: { url: '/x' }, fields: { source_ip: '192.0.2.2', url: '/ignored' } },
      expected: { kind: 'record', record: { source_ip: '192.0.2.2', url: '/x' } },
    },
    {
      name: 'a string event is a raw line',
      envelope: { event: 'line', sourcetype: 'access_combined', host: 'w' },
      expected: { kind: 'line', line: 'line', format: 'access', time: undefined, host: 'w' },
    },
    {
      name: 'no event',
      envelope: { time: 1 },
      expected: {
        kind: 'error',
        answer: { status: 400, body: { text: 'Event field is required', code: 12, 'invalid-event-number': 3 } },
      },
    },
    {
      name: 'a blank event',
      envelope: { event: '' },
      expected: {
        kind: 'error',
        answer: { status: 400, body: { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 3 } },
      },
    },
    {
      name: 'an empty object event',
      envelope: { event: {} },
      expected: {
        kind: 'error',
        answer: { status: 400, body: { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 3 } },
      },
    },
  ])('$name', ({ envelope, expected }) => {
    expect(readEnvelope(envelope, 3)).toMatchObject(expected);
  });

  it.each([[42], ['text'], [null], [[{ event: 'x' }]]])('refuses %p as an envelope', (envelope) => {
    expect(readEnvelope(envelope, 0)).toMatchObject({ kind: 'error', answer: { body: { code: 6 } } });
  });
});

describe(formatForSourcetype.name, () => {
  it.each([
    ['access_combined', 'access'],
    ['ACCESS_COMBINED', 'access'],
    ['linux_secure', undefined],
    ['_json', 'json'],
    ['my:custom', undefined],
    [undefined, undefined],
  ])('%p → %p', (sourcetype, format) => {
    expect(formatForSourcetype(sourcetype)).toBe(format);
  });
});
