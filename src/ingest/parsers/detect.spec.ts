import { classifyLine, detectFormat } from './detect';
import { isLineFormat, LINE_FORMATS, LineFormat } from './formats';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

const FAILED = 'Failed password for root from 203.0.113.7 port 4242 ssh2';
const CEF = 'CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232';
const LEEF = 'LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=192.0.2.0^dst=172.50.123.1^usrName=joe.black';
const FRAME = 'CEF:0|x|y|z|1|n|5|src=198.51.100.66';

const rows: Row<string, LineFormat>[] = [
  { name: 'flat JSON', input: '{"source_ip":"203.0.113.7","message":"x"}', expected: 'json' },
  { name: 'JSON after spaces', input: '  {"@timestamp":"2026-11-24T10:00:00Z"}', expected: 'json' },
  { name: 'bare CEF', input: CEF, expected: 'cef' },
  { name: 'CEF under a BSD header', input: `<134>Sep 19 08:26:10 host ${CEF}`, expected: 'cef' },
  { name: 'CEF under a BSD header, no PRI', input: `Sep 19 08:26:10 host ${CEF}`, expected: 'cef' },
  { name: 'CEF under a BSD header, no host', input: `<134>Sep 19 08:26:10 ${CEF}`, expected: 'cef' },
  { name: 'CEF after a PRI only', input: `<14>${CEF}`, expected: 'cef' },
  { name: 'CEF after a program tag', input: `<134>Sep 19 08:26:10 host cef-fwd[3]: ${CEF}`, expected: 'cef' },
  { name: 'CEF as RFC 5424 MSG', input: `<134>1 2026-11-24T10:00:00Z host imperva - - - ${CEF}`, expected: 'cef' },
  { name: 'bare LEEF', input: LEEF, expected: 'leef' },
  { name: 'LEEF under a BSD header', input: `Jan 18 11:07:53 192.168.1.1 ${LEEF}`, expected: 'leef' },
  {
    name: 'RFC 5424 sshd',
    input: `<38>1 2026-11-24T10:00:01Z bastion sshd 1234 - - ${FAILED}`,
    expected: 'syslog5424',
  },
  { name: 'RFC 3164 sshd', input: `<38>Nov 24 10:00:01 bastion sshd[1234]: ${FAILED}`, expected: 'syslog3164' },
  { name: 'auth.log file line', input: `Nov 24 10:00:01 bastion sshd[1234]: ${FAILED}`, expected: 'syslog3164' },
  { name: 'auth.log, padded day', input: `Nov  4 10:00:01 bastion sshd[1234]: ${FAILED}`, expected: 'syslog3164' },
  { name: 'rsyslog ISO forward', input: '<13>2026-11-24T10:00:00.123+01:00 host prog[1]: msg', expected: 'syslog3164' },
  {
    name: 'RSYSLOG_FileFormat',
    input: `2026-11-24T10:00:01.123456+00:00 bastion sshd[1234]: ${FAILED}`,
    expected: 'syslog3164',
  },
  // Text further into a message is the sender's: it must not switch the format.
  {
    name: 'CEF text inside a message',
    input: `<13>Nov 24 10:00:00 host app: user said ${FRAME}`,
    expected: 'syslog3164',
  },
  {
    name: 'CEF text as an sshd user name',
    input: `<38>Nov 24 10:00:01 bastion sshd[1]: Invalid user ${FRAME} from 203.0.113.7 port 22`,
    expected: 'syslog3164',
  },
  {
    name: 'CEF text later in a 5424 MSG',
    input: `<13>1 2026-11-24T10:00:00Z h app - - - x ${FRAME}`,
    expected: 'syslog5424',
  },
  {
    name: 'CEF text in a 5424 SD value',
    input: `<13>1 2026-11-24T10:00:00Z h app - - [x@1 a="${FRAME}"] m`,
    expected: 'syslog5424',
  },
  { name: 'bare sshd message', input: FAILED, expected: 'sshd' },
  { name: 'bare sshd, invalid user', input: 'Invalid user oracle from 203.0.113.9 port 51234', expected: 'sshd' },
  {
    name: 'bare sshd whose user looks like an access log',
    input: 'Invalid user - - [24/Nov/2026:10:00:00 +0000] from 203.0.113.9',
    expected: 'sshd',
  },
  {
    name: 'nginx access, IPv4',
    input: '203.0.113.7 - - [24/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
    expected: 'access',
  },
  {
    name: 'nginx access, IPv6',
    input: '2001:db8::1 - - [24/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
    expected: 'access',
  },
  { name: 'bad PRI, BSD shape', input: '<999>Nov 24 10:00:00 h p: m', expected: 'syslog3164' },
  { name: 'bad PRI, 5424 shape', input: '<999>1 2026-11-24T10:00:00Z h a - - - m', expected: 'syslog5424' },
  { name: 'broken 5424', input: '<13>1 2026-11-24T10:00:00Z host', expected: 'syslog5424' },
  { name: 'lower-case cef', input: 'cef:0|a|b|c|d|e|f|', expected: 'syslog3164' },
  {
    name: 'access log with a host name client',
    input: 'crawler.example.com - - [24/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
    expected: 'syslog3164',
  },
  { name: 'plain text', input: 'hello world', expected: 'syslog3164' },
  { name: 'binary junk', input: '\u0000\u0001\u00ff\u0016\u0003', expected: 'syslog3164' },
  { name: 'empty', input: '', expected: 'syslog3164' },
  // ---- web formats (issue 14); their fields are tested in web-formats.spec.ts
  {
    name: 'vhost_combined',
    input: 'shop.example.com:443 203.0.113.7 - - [24/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
    expected: 'access',
  },
  {
    name: 'HAProxy HTTP log under syslog',
    input:
      '<134>Dec  6 03:58:24 lb-1 haproxy[9]: 203.0.113.7:33317 [06/Dec/2026:03:58:24.655] fe be/s1 0/0/1/2/3 200 1 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1"',
    expected: 'haproxy',
  },
  {
    name: 'AWS ALB',
    input:
      'https 2026-12-06T03:58:24.123456Z app/lb/1 203.0.113.7:2817 10.0.0.1:80 0.0 0.0 0.0 200 200 1 1 "GET / HTTP/1.1" "x"',
    expected: 'alb',
  },
  {
    name: 'IIS W3C',
    input: '2026-12-06 03:58:24 10.0.0.4 GET /default.aspx - 443 - 203.0.113.7 Mozilla/5.0 - 200 0 0 15',
    expected: 'iis',
  },
  { name: 'IIS #Fields directive', input: '#Fields: date time s-ip cs-method cs-uri-stem', expected: 'iis' },
  { name: 'IIS #Fields directive in another order', input: '#Fields: c-ip date time cs-method', expected: 'iis' },
  {
    name: 'nginx error log',
    input: '2026/12/06 03:58:24 [error] 1#1: *1 open() "/x" failed, client: 203.0.113.7, server: s',
    expected: 'nginx_error',
  },
  {
    name: 'Apache error log',
    input: '[Sun Dec 06 03:58:24.123456 2026] [core:error] [pid 1] [client 203.0.113.7:1] AH00126: Invalid URI',
    expected: 'apache_error',
  },
];

describe(detectFormat.name, () => {
  it.each(rows)('$name', ({ input, expected }) => {
    expect(detectFormat(input)).toBe(expected);
  });
});

describe(classifyLine.name, () => {
  it('hands over the syslog parse it made', () => {
    const detection = classifyLine(`<134>Sep 19 08:26:10 host ${CEF}`, new Date('2026-11-24T12:00:00Z'));
    expect(detection.format).toBe('cef');
    expect(detection.syslog).toMatchObject({ ok: true, value: { host: 'host', message: CEF } });
  });

  it('hands over the reason a syslog line failed', () => {
    expect(classifyLine('<999>x', new Date(0)).syslog).toEqual({
      ok: false,
      reason: 'syslog PRI 999 is out of range 0-191',
    });
  });
});

describe(isLineFormat.name, () => {
  it.each([
    ...LINE_FORMATS.map((format) => ({ name: format, input: format, expected: true })),
    { name: 'auto', input: 'auto', expected: false },
    { name: 'upper case', input: 'JSON', expected: false },
    { name: 'empty', input: '', expected: false },
    { name: '__proto__', input: '__proto__', expected: false },
    { name: 'absent', input: undefined, expected: false },
    { name: 'a number', input: 42, expected: false },
  ])('$name', ({ input, expected }) => {
    expect(isLineFormat(input)).toBe(expected);
  });

  it('lists each format once', () => {
    expect(new Set(LINE_FORMATS).size).toBe(LINE_FORMATS.length);
  });

  it('detects every format from some example', () => {
    expect(new Set(rows.map((row) => row.expected))).toEqual(new Set(LINE_FORMATS));
  });
});
