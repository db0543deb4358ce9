import { embeddedFormat, parseSyslog, readSyslog, SyslogMessage, syslogFields } from './syslog';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

const NOW = new Date('2026-11-24T12:00:00Z');
const BOM = '\uFEFF';
const FAILED = 'Failed password for root from 203.0.113.7 port 4242 ssh2';
const CEF = 'CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232';
const at = (iso: string) => new Date(iso);

const rfc5424: Row<string, SyslogMessage>[] = [
  {
    name: 'RFC 5424 example 1: NIL PROCID and SD, BOM before MSG',
    input: `<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - ${BOM}'su root' failed for lonvick on /dev/pts/8`,
    expected: {
      rfc: 5424,
      facility: 4,
      severity: 2,
      timestamp: at('2003-10-11T22:14:15.003Z'),
      host: 'mymachine.example.com',
      app: 'su',
      msgId: 'ID47',
      message: "'su root' failed for lonvick on /dev/pts/8",
    },
  },
  {
    name: 'RFC 5424 example 2: microseconds and an offset, no BOM',
    input: "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
    expected: {
      rfc: 5424,
      facility: 20,
      severity: 5,
      timestamp: at('2003-08-24T12:14:15.000Z'),
      host: '192.0.2.1',
      app: 'myproc',
      procId: '8710',
      message: "%% It's time to make the do-nuts.",
    },
  },
  {
    name: 'RFC 5424 example 3: structured data and a message',
    input: `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] ${BOM}An application event log entry...`,
    expected: {
      rfc: 5424,
      facility: 20,
      severity: 5,
      timestamp: at('2003-10-11T22:14:15.003Z'),
      host: 'mymachine.example.com',
      app: 'evntslog',
      msgId: 'ID47',
      structuredData: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } },
      message: 'An application event log entry...',
    },
  },
  {
    name: 'RFC 5424 example 4: two SD elements, no MSG',
    input:
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"][examplePriority@32473 class="high"]',
    expected: {
      rfc: 5424,
      facility: 20,
      severity: 5,
      timestamp: at('2003-10-11T22:14:15.003Z'),
      host: 'mymachine.example.com',
      app: 'evntslog',
      msgId: 'ID47',
      structuredData: { 'exampleSDID@32473': { iut: '3' }, 'examplePriority@32473': { class: 'high' } },
      message: '',
    },
  },
  {
    name: 'escapes in param values; an unknown escape stays as written',
    input:
      '<165>1 2026-11-24T10:00:00Z h app - - [x@1 note="a \\"quoted\\" \\] and \\\\ slash" path="C:\\temp" empty=""] m',
    expected: {
      rfc: 5424,
      facility: 20,
      severity: 5,
      timestamp: at('2026-11-24T10:00:00Z'),
      host: 'h',
      app: 'app',
      structuredData: { 'x@1': { note: 'a "quoted" ] and \\ slash', path: 'C:\\temp', empty: '' } },
      message: 'm',
    },
  },
  {
    name: 'an unescaped ] inside quotes belongs to the value',
    input: '<14>1 - h a - - [x@1 a="[1]"] m',
    expected: {
      rfc: 5424,
      facility: 1,
      severity: 6,
      host: 'h',
      app: 'a',
      structuredData: { 'x@1': { a: '[1]' } },
      message: 'm',
    },
  },
  {
    name: 'a repeated SD-ID merges, the first param wins',
    input: '<14>1 - h a - - [x@1 a="1" a="2"][x@1 a="3" b="4"] m',
    expected: {
      rfc: 5424,
      facility: 1,
      severity: 6,
      host: 'h',
      app: 'a',
      structuredData: { 'x@1': { a: '1', b: '4' } },
      message: 'm',
    },
  },
  {
    name: 'every field NIL',
    input: '<14>1 - - - - - -',
    expected: { rfc: 5424, facility: 1, severity: 6, message: '' },
  },
  {
    name: 'sshd under rsyslog RSYSLOG_SyslogProtocol23Format',
    input: `<38>1 2026-11-24T10:00:01.123456+00:00 bastion sshd 1234 - - ${FAILED}`,
    expected: {
      rfc: 5424,
      facility: 4,
      severity: 6,
      timestamp: at('2026-11-24T10:00:01.123Z'),
      host: 'bastion',
      app: 'sshd',
      procId: '1234',
      message: FAILED,
    },
  },
  {
    name: 'MSG keeps its spaces',
    input: '<14>1 - h a - - -   two leading spaces ',
    expected: { rfc: 5424, facility: 1, severity: 6, host: 'h', app: 'a', message: '  two leading spaces ' },
  },
];

const bsd = (fields: Partial<SyslogMessage>): SyslogMessage => ({
  rfc: 3164,
  facility: 1,
  severity: 5,
  message: '',
  ...fields,
});

const rfc3164: Row<string, SyslogMessage>[] = [
  {
    name: 'auth.log line forwarded by syslog-ng',
    input: `<38>Nov 24 10:00:01 bastion sshd[1234]: ${FAILED}`,
    expected: bsd({
      facility: 4,
      severity: 6,
      timestamp: at('2026-11-24T10:00:01Z'),
      host: 'bastion',
      app: 'sshd',
      procId: '1234',
      message: FAILED,
    }),
  },
  {
    name: 'auth.log line as written to file (no PRI)',
    input: `Nov 24 10:00:01 bastion sshd[1234]: ${FAILED}`,
    expected: bsd({
      timestamp: at('2026-11-24T10:00:01Z'),
      host: 'bastion',
      app: 'sshd',
      procId: '1234',
      message: FAILED,
    }),
  },
  {
    name: 'no host',
    input: `<38>Nov 24 10:00:01 sshd[1234]: ${FAILED}`,
    expected: bsd({
      facility: 4,
      severity: 6,
      timestamp: at('2026-11-24T10:00:01Z'),
      app: 'sshd',
      procId: '1234',
      message: FAILED,
    }),
  },
  {
    name: 'padded day, sshd-session tag',
    input: '<38>Nov  4 09:08:07 bastion sshd-session[77]: Invalid user oracle from 203.0.113.9 port 51234',
    expected: bsd({
      facility: 4,
      severity: 6,
      timestamp: at('2026-11-04T09:08:07Z'),
      host: 'bastion',
      app: 'sshd-session',
      procId: '77',
      message: 'Invalid user oracle from 203.0.113.9 port 51234',
    }),
  },
  {
    name: 'rsyslog forwarding with an ISO stamp',
    input: '<13>2026-11-24T10:00:00.123+01:00 host prog[1]: msg',
    expected: bsd({
      timestamp: at('2026-11-24T09:00:00.123Z'),
      host: 'host',
      app: 'prog',
      procId: '1',
      message: 'msg',
    }),
  },
  {
    name: 'RSYSLOG_FileFormat (ISO, no PRI)',
    input: `2026-11-24T10:00:01.123456+00:00 bastion sshd[1234]: ${FAILED}`,
    expected: bsd({
      timestamp: at('2026-11-24T10:00:01.123Z'),
      host: 'bastion',
      app: 'sshd',
      procId: '1234',
      message: FAILED,
    }),
  },
  {
    name: 'a year in the stamp',
    input: '<134>Nov 24 2025 10:00:00 fw01 kernel: DROP IN=eth0 SRC=203.0.113.7',
    expected: bsd({
      facility: 16,
      severity: 6,
      timestamp: at('2025-11-24T10:00:00Z'),
      host: 'fw01',
      app: 'kernel',
      message: 'DROP IN=eth0 SRC=203.0.113.7',
    }),
  },
  {
    name: 'Cisco ASA: a year, a colon after the stamp, no host',
    input: '<164>Nov 24 2026 10:00:00: %ASA-4-106023: Deny tcp src outside:203.0.113.7/4242 dst inside:10.0.0.5/22',
    expected: bsd({
      facility: 20,
      severity: 4,
      timestamp: at('2026-11-24T10:00:00Z'),
      app: '%ASA-4-106023',
      message: 'Deny tcp src outside:203.0.113.7/4242 dst inside:10.0.0.5/22',
    }),
  },
  {
    name: 'IPv6 host',
    input: '<38>Nov 24 10:00:01 2001:db8::1 sshd[1]: m',
    expected: bsd({
      facility: 4,
      severity: 6,
      timestamp: at('2026-11-24T10:00:01Z'),
      host: '2001:db8::1',
      app: 'sshd',
      procId: '1',
      message: 'm',
    }),
  },
  {
    name: 'postfix tag with a slash',
    input: '<22>Nov 24 10:00:00 mx postfix/smtpd[2345]: connect from unknown[203.0.113.7]',
    expected: bsd({
      facility: 2,
      severity: 6,
      timestamp: at('2026-11-24T10:00:00Z'),
      host: 'mx',
      app: 'postfix/smtpd',
      procId: '2345',
      message: 'connect from unknown[203.0.113.7]',
    }),
  },
  {
    name: 'sudo, no pid',
    input: '<85>Nov 24 10:00:00 bastion sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls',
    expected: bsd({
      facility: 10,
      severity: 5,
      timestamp: at('2026-11-24T10:00:00Z'),
      host: 'bastion',
      app: 'sudo',
      message: '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls',
    }),
  },
  {
    name: 'no tag: all is message',
    input: '<13>Nov 24 10:00:00 host just a message',
    expected: bsd({ timestamp: at('2026-11-24T10:00:00Z'), host: 'host', message: 'just a message' }),
  },
  {
    name: 'CEF after the host',
    input: `<134>Sep 19 08:26:10 host ${CEF}`,
    expected: bsd({ facility: 16, severity: 6, timestamp: at('2026-09-19T08:26:10Z'), host: 'host', message: CEF }),
  },
  {
    name: 'CEF with no host',
    input: `<134>Sep 19 08:26:10 ${CEF}`,
    expected: bsd({ facility: 16, severity: 6, timestamp: at('2026-09-19T08:26:10Z'), message: CEF }),
  },
  {
    name: 'a PRI and no stamp: all is content',
    input: '<13>hello world',
    expected: bsd({ message: 'hello world' }),
  },
  {
    name: 'a PRI, no stamp, a tag',
    input: '<13>prog[2]: hello',
    expected: bsd({ app: 'prog', procId: '2', message: 'hello' }),
  },
  {
    name: 'tag and nothing after',
    input: '<13>Nov 24 10:00:00 host prog:',
    expected: bsd({ timestamp: at('2026-11-24T10:00:00Z'), host: 'host', app: 'prog' }),
  },
  {
    name: 'host and nothing after',
    input: '<13>Nov 24 10:00:00 host',
    expected: bsd({ timestamp: at('2026-11-24T10:00:00Z'), host: 'host' }),
  },
  {
    name: 'PRI 0',
    input: '<0>Nov 24 10:00:00 h k: m',
    expected: bsd({
      facility: 0,
      severity: 0,
      timestamp: at('2026-11-24T10:00:00Z'),
      host: 'h',
      app: 'k',
      message: 'm',
    }),
  },
  {
    name: 'PRI 191',
    input: '<191>Nov 24 10:00:00 h k: m',
    expected: bsd({
      facility: 23,
      severity: 7,
      timestamp: at('2026-11-24T10:00:00Z'),
      host: 'h',
      app: 'k',
      message: 'm',
    }),
  },
  {
    name: 'Dec 31 read in late November is last year',
    input: '<13>Dec 31 23:59:59 h k: m',
    expected: bsd({ timestamp: at('2025-12-31T23:59:59Z'), host: 'h', app: 'k', message: 'm' }),
  },
];

const invalid: Row<string, string>[] = [
  { name: 'PRI 999', input: '<999>Nov 24 10:00:00 h p: m', expected: 'syslog PRI 999 is out of range 0-191' },
  { name: 'PRI 192', input: '<192>Nov 24 10:00:00 h p: m', expected: 'syslog PRI 192 is out of range 0-191' },
  {
    name: 'PRI with a letter',
    input: '<1a>Nov 24 10:00:00 h p: m',
    expected: 'syslog PRI must be 1-3 digits between < and >',
  },
  { name: 'empty PRI', input: '<>m', expected: 'syslog PRI must be 1-3 digits between < and >' },
  { name: 'four-digit PRI', input: '<1234>m', expected: 'syslog PRI must be 1-3 digits between < and >' },
  { name: 'PRI not closed', input: '<13', expected: 'syslog PRI must be 1-3 digits between < and >' },
  { name: 'no PRI, no stamp', input: 'hello world', expected: 'no <PRI> or time stamp at the start' },
  { name: 'empty', input: '', expected: 'no <PRI> or time stamp at the start' },
  { name: 'binary junk', input: '\u0000\u0001\u00ff\u0016\u0003', expected: 'no <PRI> or time stamp at the start' },
  { name: 'Nov 31', input: '<13>Nov 31 10:00:00 h p: m', expected: 'syslog time stamp is not a valid date' },
  {
    name: 'Feb 29 with the year of a common year',
    input: 'Feb 29 2026 10:00:00 h p: m',
    expected: 'syslog time stamp is not a valid date',
  },
  { name: 'hour 25', input: 'Nov 24 25:00:00 h p: m', expected: 'syslog time stamp is not a valid date' },
  {
    name: 'version 2',
    input: '<13>2 2026-11-24T10:00:00Z h a - - - m',
    expected: 'syslog version 2 is not supported (RFC 5424 is version 1)',
  },
  { name: 'version only', input: '<13>1 ', expected: 'RFC 5424 header is truncated at TIMESTAMP' },
  {
    name: 'cut after the host',
    input: '<13>1 2026-11-24T10:00:00Z host',
    expected: 'RFC 5424 header is truncated at HOSTNAME',
  },
  {
    name: 'cut after MSGID',
    input: '<13>1 2026-11-24T10:00:00Z host app 1 ID47',
    expected: 'RFC 5424 header is truncated at MSGID',
  },
  {
    name: 'no SD',
    input: '<13>1 2026-11-24T10:00:00Z host app 1 ID47 ',
    expected: 'RFC 5424 header is truncated at STRUCTURED-DATA',
  },
  {
    name: 'date-only TIMESTAMP',
    input: '<13>1 2026-11-24 host app - - - m',
    expected: 'RFC 5424 TIMESTAMP is not a valid RFC 3339 time',
  },
  {
    name: 'BSD TIMESTAMP in 5424',
    input: '<13>1 Nov 24 10:00:00 host app - - - m',
    expected: 'RFC 5424 TIMESTAMP is not a valid RFC 3339 time',
  },
  {
    name: 'two spaces',
    input: '<13>1 2026-11-24T10:00:00Z  app - - - m',
    expected: 'RFC 5424 HOSTNAME is empty (two spaces in the header)',
  },
  {
    name: 'APP-NAME of 49',
    input: `<13>1 - h ${'a'.repeat(49)} - - - m`,
    expected: 'RFC 5424 APP-NAME is longer than 48 characters',
  },
  {
    name: 'HOSTNAME of 256',
    input: `<13>1 - ${'h'.repeat(256)} a - - - m`,
    expected: 'RFC 5424 HOSTNAME is longer than 255 characters',
  },
  { name: 'SD neither - nor [', input: '<13>1 - h a - - x m', expected: 'RFC 5424 STRUCTURED-DATA must be - or [...]' },
  {
    name: 'value not closed',
    input: '<13>1 - h a - - [x@1 a="unterminated] m',
    expected: 'RFC 5424 SD-PARAM value has no closing quote',
  },
  {
    name: 'element not closed',
    input: '<13>1 - h a - - [x@1 a="1"',
    expected: 'RFC 5424 SD-ELEMENT is not closed with ]',
  },
  {
    name: 'unquoted value',
    input: '<13>1 - h a - - [x@1 a=1] m',
    expected: 'RFC 5424 SD-PARAM must be name="value" with a 1-32 character name',
  },
  { name: 'empty SD-ID', input: '<13>1 - h a - - [] m', expected: 'RFC 5424 SD-ID must be 1-32 characters' },
  {
    name: 'SD-ID of 33',
    input: `<13>1 - h a - - [${'x'.repeat(33)}] m`,
    expected: 'RFC 5424 SD-ID must be 1-32 characters',
  },
  {
    name: 'MSG glued to SD',
    input: '<13>1 - h a - - [x@1]m',
    expected: 'RFC 5424 STRUCTURED-DATA must be followed by a space and MSG',
  },
  {
    name: 'MSG glued to NIL SD',
    input: '<13>1 - h a - - -m',
    expected: 'RFC 5424 STRUCTURED-DATA must be followed by a space and MSG',
  },
];

describe(readSyslog.name, () => {
  it.each(rfc5424)('RFC 5424: $name', ({ input, expected }) => {
    expect(readSyslog(input, NOW)).toEqual({ ok: true, value: expected });
  });

  it.each(rfc3164)('RFC 3164: $name', ({ input, expected }) => {
    expect(readSyslog(input, NOW)).toEqual({ ok: true, value: expected });
  });

  it.each(invalid)('refuses: $name', ({ input, expected }) => {
    expect(readSyslog(input, new Date('2026-01-02T00:00:00Z'))).toEqual({ ok: false, reason: expected });
  });

  it('keeps an SD-ID named __proto__ as data, not as a prototype', () => {
    const parsed = parseSyslog('<14>1 - h a - - [__proto__ polluted="yes"] m', NOW);
    expect(Object.keys(parsed?.structuredData ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe(parseSyslog.name, () => {
  it.each([
    { name: 'a line', input: '<13>Nov 24 10:00:00 h p: m', expected: 'm' },
    { name: 'not a line', input: '<999>x', expected: null },
  ])('$name', ({ input, expected }) => {
    const parsed = parseSyslog(input, NOW);
    expect(parsed === null ? null : parsed.message).toBe(expected);
  });
});

describe(embeddedFormat.name, () => {
  it.each([
    { name: 'CEF', input: CEF, expected: 'cef' },
    { name: 'LEEF', input: 'LEEF:1.0|V|P|1|ID|', expected: 'leef' },
    { name: 'case matters', input: 'cef:0|a', expected: undefined },
    { name: 'only at the start', input: `user ${CEF}`, expected: undefined },
    { name: 'leading space', input: ` ${CEF}`, expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(embeddedFormat(input)).toBe(expected);
  });
});

describe(syslogFields.name, () => {
  const fields = (line: string) => syslogFields(parseSyslog(line, NOW)!);

  it.each([
    {
      name: 'sshd: facts, no event type of its own',
      input: `<38>Nov 24 10:00:01 bastion sshd[1]: ${FAILED}`,
      expected: { kind: 'failed_password', sourceIp: '203.0.113.7', eventType: undefined, host: 'bastion' },
    },
    {
      name: 'sshd in RFC 5424',
      input: `<38>1 2026-11-24T10:00:01Z bastion sshd 1 - - ${FAILED}`,
      expected: { kind: 'failed_password', sourceIp: '203.0.113.7', eventType: undefined, host: 'bastion' },
    },
    {
      name: 'another program logging sshd-like text is not sshd',
      input: `<38>Nov 24 10:00:01 web app[5]: ${FAILED.replace('203.0.113.7', '198.51.100.66')}`,
      expected: { kind: undefined, sourceIp: undefined, eventType: 'app', host: 'web' },
    },
    {
      name: 'no tag: not sshd even if the text is',
      input: `<38>Nov 24 10:00:01 web ${FAILED}`,
      expected: { kind: undefined, sourceIp: undefined, eventType: undefined, host: 'web' },
    },
    {
      name: 'nginx error log',
      input: '<11>Nov 24 10:00:00 web nginx: 2026/11/24 10:00:00 [error] 12#12: *1 open() failed',
      expected: { kind: undefined, sourceIp: undefined, eventType: 'nginx', host: 'web' },
    },
  ])('$name', ({ input, expected }) => {
    const got = fields(input);
    expect({ kind: got.sshd?.kind, sourceIp: got.sshd?.sourceIp, eventType: got.eventType, host: got.host }).toEqual(
      expected,
    );
  });

  it('gives no message for an empty MSG', () => {
    expect(fields('<14>1 - h a - - -').message).toBeUndefined();
  });
});
