import { NormalisedEvent } from '../../domain/event';
import { clip, NO_SOURCE_ADDRESS, ParsedRecord } from '../normalise';
import { detectFormat } from './detect';
import { LINE_FORMATS, LineFormat } from './formats';
import { MAX_LINE_BYTES, parseLine } from './line';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

type Input = { line: string; format?: LineFormat; now?: string };
/**
 * `detected`: what detectFormat says of the line (rows that force a format leave it out).
 * The tables compare events without `attempt` and `lineFormat`, each checked on its own.
 */
type Expected = { detected?: LineFormat; record: ParsedRecord };

const NOW = new Date('2026-11-24T12:00:00Z');
const FP = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';
const T = '[24/Nov/2026:10:00:00 +0000]';
const TLS = '\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03';
const AUTH =
  'Nov 24 10:00:01 bastion sshd[1234]: Failed password for invalid user admin from ::ffff:203.0.113.7 port 4242 ssh2';
const INVALID_USER = 'Invalid user oracle from 203.0.113.9 port 51234';
const WORM = 'CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232';
const IMPERVA =
  'CEF:0|Imperva Inc.|SecureSphere|14.7.0|SQL Injection|SQL Injection|High|act=Block dst=10.0.0.5 dpt=443 duser=n/a ' +
  'src=198.51.100.23 spt=51234 proto=TCP rt=Nov 24 2026 10:00:00 cat=Alert cs1=Default Web Policy cs1Label=Policy ' +
  'requestMethod=GET request=/index.php?id\\=1%20union%20select requestClientApplication=Mozilla/5.0 (compatible; sqlmap/1.7)';
const FORTINET =
  'CEF:0|Fortinet|Fortigate|v7.2.5,build1517 (GA.F)|00013|traffic:forward deny|3|deviceExternalId=FG100ETK18000000 ' +
  'cat=traffic:forward src=203.0.113.7 spt=51515 dst=10.0.0.5 dpt=22 proto=6 act=deny dvchost=FGT-EDGE-1 rt=1795514400000';
const QRADAR_1 =
  'LEEF:1.0|Microsoft|MSExchange|4.0 SP1|15345|src=192.0.2.0\tdst=172.50.123.1\tsev=5\tcat=anomaly\tsrcPort=81\tdstPort=21\tusrName=joe.black';
const QRADAR_2 =
  'LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=192.0.2.0^dst=172.50.123.1^sev=5^cat=anomaly^srcPort=81^dstPort=21^usrName=joe.black';

const event = (fields: Partial<NormalisedEvent>): ParsedRecord => ({
  ok: true,
  event: { eventTime: NOW, sourceIp: '', outcome: 'unknown', ...fields },
});
const refused = (reason: string): ParsedRecord => ({ ok: false, reason });
const at = (iso: string) => new Date(iso);

const AUTH_EVENT = event({
  eventTime: at('2026-11-24T10:00:01Z'),
  sourceIp: '203.0.113.7',
  sourcePort: 4242,
  eventType: 'ssh_failed_password',
  outcome: 'failure',
  host: 'bastion',
  user: 'admin',
  message: 'Failed password for invalid user admin from ::ffff:203.0.113.7 port 4242 ssh2',
});

const formats: Row<Input, Expected>[] = [
  {
    name: 'JSON, flat',
    input: {
      line: '{"timestamp":"2026-11-24T10:00:00Z","source_ip":"203.0.113.7","event_type":"login","outcome":"failure","user":"root"}',
    },
    expected: {
      detected: 'json',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '203.0.113.7',
        eventType: 'login',
        outcome: 'failure',
        user: 'root',
      }),
    },
  },
  {
    name: 'JSON, ECS',
    input: {
      line: '{"@timestamp":"2026-11-24T10:00:00Z","source":{"ip":"2001:DB8::7"},"event":{"action":"ssh_login","outcome":"failure"}}',
    },
    expected: {
      detected: 'json',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '2001:db8::7',
        eventType: 'ssh_login',
        outcome: 'failure',
      }),
    },
  },
  {
    name: 'auth.log line (BSD, no PRI), mapped IPv6',
    input: { line: AUTH },
    expected: { detected: 'syslog3164', record: AUTH_EVENT },
  },
  {
    name: 'syslog-ng forward of a pam_unix line',
    input: {
      line: '<38>Nov 24 10:00:04 bastion sshd[1234]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root',
    },
    expected: {
      detected: 'syslog3164',
      record: event({
        eventTime: at('2026-11-24T10:00:04Z'),
        sourceIp: '203.0.113.7',
        eventType: 'ssh_pam_auth_failure',
        outcome: 'failure',
        host: 'bastion',
        user: 'root',
        message:
          'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root',
      }),
    },
  },
  {
    name: 'RFC 5424 from sshd, accepted publickey, offset and fraction',
    input: {
      line: `<38>1 2026-11-24T10:00:05.250+01:00 bastion sshd 1234 - - Accepted publickey for alice from 2001:DB8::10 port 52000 ssh2: ED25519 ${FP}`,
    },
    expected: {
      detected: 'syslog5424',
      record: event({
        eventTime: at('2026-11-24T09:00:05.250Z'),
        sourceIp: '2001:db8::10',
        sourcePort: 52000,
        eventType: 'ssh_accepted',
        outcome: 'success',
        host: 'bastion',
        user: 'alice',
        message: `Accepted publickey for alice from 2001:DB8::10 port 52000 ssh2: ED25519 ${FP}`,
      }),
    },
  },
  {
    name: 'rsyslog ISO forward, sshd-session',
    input: {
      line: '<86>2026-11-24T10:00:02.123456+00:00 bastion sshd-session[77]: Connection closed by authenticating user root 203.0.113.7 port 4242 [preauth]',
    },
    expected: {
      detected: 'syslog3164',
      record: event({
        eventTime: at('2026-11-24T10:00:02.123Z'),
        sourceIp: '203.0.113.7',
        sourcePort: 4242,
        eventType: 'ssh_preauth_disconnect',
        outcome: 'failure',
        host: 'bastion',
        user: 'root',
        message: 'Connection closed by authenticating user root 203.0.113.7 port 4242 [preauth]',
      }),
    },
  },
  {
    name: 'bare sshd message: received now',
    input: { line: INVALID_USER },
    expected: {
      detected: 'sshd',
      record: event({
        sourceIp: '203.0.113.9',
        sourcePort: 51234,
        eventType: 'ssh_invalid_user',
        outcome: 'failure',
        user: 'oracle',
        message: INVALID_USER,
      }),
    },
  },
  {
    name: 'nginx combined, IPv6 client, sqlmap',
    input: {
      line: '2001:DB8::1 - - [24/Nov/2026:11:00:00 +0100] "GET /index.php?id=1%27 HTTP/1.1" 200 512 "-" "sqlmap/1.7.2#stable (https://sqlmap.org)"',
    },
    expected: {
      detected: 'access',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '2001:db8::1',
        eventType: 'http_request',
        message: 'GET /index.php?id=1%27 HTTP/1.1',
        url: '/index.php?id=1%27',
        httpMethod: 'GET',
        httpStatus: 200,
        userAgent: 'sqlmap/1.7.2#stable (https://sqlmap.org)',
      }),
    },
  },
  {
    name: 'Apache combined, 401 is a failure',
    input: {
      line: `198.51.100.4 - admin ${T} "POST /wp-login.php HTTP/1.1" 401 128 "https://example.com/wp-login.php" "Mozilla/5.0"`,
    },
    expected: {
      detected: 'access',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '198.51.100.4',
        eventType: 'http_request',
        outcome: 'failure',
        user: 'admin',
        message: 'POST /wp-login.php HTTP/1.1',
        url: '/wp-login.php',
        httpMethod: 'POST',
        httpStatus: 401,
        userAgent: 'Mozilla/5.0',
        referer: 'https://example.com/wp-login.php',
      }),
    },
  },
  {
    name: 'nginx, TLS handshake on the HTTP port: kept',
    input: { line: `203.0.113.7 - - ${T} "${TLS}" 400 157 "-" "-"` },
    expected: {
      detected: 'access',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '203.0.113.7',
        eventType: 'http_request',
        message: TLS,
        httpStatus: 400,
      }),
    },
  },
  {
    name: 'CEF, Imperva WAF',
    input: { line: IMPERVA },
    expected: {
      detected: 'cef',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '198.51.100.23',
        sourcePort: 51234,
        eventType: 'sql_injection',
        outcome: 'failure',
        url: '/index.php?id=1%20union%20select',
        httpMethod: 'GET',
        userAgent: 'Mozilla/5.0 (compatible; sqlmap/1.7)',
      }),
    },
  },
  {
    name: 'CEF under a BSD header: its time and host',
    input: { line: `<134>Nov 24 10:00:00 sensor-7 ${WORM}` },
    expected: {
      detected: 'cef',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '10.0.0.1',
        sourcePort: 1232,
        eventType: 'worm_successfully_stopped',
        host: 'sensor-7',
      }),
    },
  },
  {
    name: 'CEF as RFC 5424 MSG, Fortinet',
    input: { line: `<189>1 2026-11-24T10:00:07Z fgt - - - - ${FORTINET}` },
    expected: {
      detected: 'cef',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '203.0.113.7',
        sourcePort: 51515,
        eventType: 'traffic_forward_deny',
        outcome: 'failure',
        host: 'FGT-EDGE-1',
      }),
    },
  },
  {
    name: 'CEF, sshd message and no src',
    input: { line: 'CEF:0|OpenSSH|sshd|9.6|auth|Login|5|msg=Failed password for root from 203.0.113.7 port 4242 ssh2' },
    expected: {
      detected: 'cef',
      record: event({
        sourceIp: '203.0.113.7',
        sourcePort: 4242,
        eventType: 'login',
        outcome: 'failure',
        user: 'root',
        message: 'Failed password for root from 203.0.113.7 port 4242 ssh2',
      }),
    },
  },
  {
    name: 'CEF, sshd message about another address than src: not this actor’s',
    input: {
      line: 'CEF:0|V|P|1|1|Login|5|src=198.51.100.1 msg=Failed password for root from 203.0.113.7 port 4242 ssh2',
    },
    expected: {
      detected: 'cef',
      record: event({
        sourceIp: '198.51.100.1',
        eventType: 'login',
        message: 'Failed password for root from 203.0.113.7 port 4242 ssh2',
      }),
    },
  },
  {
    name: 'LEEF 1.0, QRadar sample',
    input: { line: QRADAR_1 },
    expected: {
      detected: 'leef',
      record: event({
        sourceIp: '192.0.2.0',
        sourcePort: 81,
        eventType: '15345',
        host: '172.50.123.1',
        user: 'joe.black',
      }),
    },
  },
  {
    name: 'LEEF 2.0 under a BSD header',
    input: { line: `<13>Nov 24 10:00:00 192.168.1.1 ${QRADAR_2}` },
    expected: {
      detected: 'leef',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '192.0.2.0',
        sourcePort: 81,
        eventType: '41',
        host: '172.50.123.1',
        user: 'joe.black',
      }),
    },
  },
];

const invalidUserEvent = (eventTime: Date, host?: string) =>
  event({
    eventTime,
    sourceIp: '203.0.113.9',
    sourcePort: 51234,
    eventType: 'ssh_invalid_user',
    outcome: 'failure',
    host,
    user: 'oracle',
    message: INVALID_USER,
  });

const edges: Row<Input, Expected>[] = [
  {
    name: 'a December line read on 2 January is last year’s',
    input: { line: `Dec 31 23:59:59 bastion sshd[1]: ${INVALID_USER}`, now: '2026-01-02T00:00:00Z' },
    expected: { detected: 'syslog3164', record: invalidUserEvent(at('2025-12-31T23:59:59Z'), 'bastion') },
  },
  {
    name: '10 minutes ahead is clamped to now',
    input: { line: `<38>1 2026-11-24T12:10:00Z bastion sshd 1 - - ${INVALID_USER}` },
    expected: { detected: 'syslog5424', record: invalidUserEvent(NOW, 'bastion') },
  },
  {
    name: '4 minutes ahead is kept',
    input: { line: `<38>1 2026-11-24T12:04:00Z bastion sshd 1 - - ${INVALID_USER}` },
    expected: { detected: 'syslog5424', record: invalidUserEvent(at('2026-11-24T12:04:00Z'), 'bastion') },
  },
  { name: 'trailing CR', input: { line: `${AUTH}\r` }, expected: { detected: 'syslog3164', record: AUTH_EVENT } },
  { name: 'trailing CRLF', input: { line: `${AUTH}\r\n` }, expected: { detected: 'syslog3164', record: AUTH_EVENT } },
  { name: 'leading BOM', input: { line: `\uFEFF${AUTH}` }, expected: { record: AUTH_EVENT } },
  { name: 'forced format that fits', input: { line: AUTH, format: 'syslog3164' }, expected: { record: AUTH_EVENT } },
  {
    name: 'a URL and an agent over their limits are cut, with …',
    input: { line: `203.0.113.7 - - ${T} "GET /${'a'.repeat(9000)} HTTP/1.1" 200 1 "-" "${'M'.repeat(3000)}"` },
    expected: {
      detected: 'access',
      record: event({
        eventTime: at('2026-11-24T10:00:00Z'),
        sourceIp: '203.0.113.7',
        eventType: 'http_request',
        message: `GET /${'a'.repeat(9000)} HTTP/1.1`,
        url: `/${'a'.repeat(8190)}…`,
        httpMethod: 'GET',
        httpStatus: 200,
        userAgent: `${'M'.repeat(2047)}…`,
      }),
    },
  },
  {
    name: 'a host over its limit is cut',
    input: { line: `<38>Nov 24 10:00:01 ${'h'.repeat(600)} sshd[1]: ${INVALID_USER}` },
    expected: { detected: 'syslog3164', record: invalidUserEvent(at('2026-11-24T10:00:01Z'), `${'h'.repeat(511)}…`) },
  },
  {
    name: 'a user over its limit is cut',
    input: { line: `CEF:0|V|P|1|1|Login|5|src=203.0.113.7 suser=${'u'.repeat(600)}` },
    expected: {
      detected: 'cef',
      record: event({ sourceIp: '203.0.113.7', eventType: 'login', user: `${'u'.repeat(511)}…` }),
    },
  },
];

const SEVEN = '|-separated fields (version, vendor, product, version, signature id, name, severity)';
const failures: Row<Input, Expected>[] = [
  { name: 'empty', input: { line: '' }, expected: { record: refused('empty line') } },
  { name: 'blank', input: { line: ' \t ' }, expected: { record: refused('empty line') } },
  { name: 'CR only', input: { line: '\r' }, expected: { record: refused('empty line') } },
  { name: 'BOM only', input: { line: '\uFEFF' }, expected: { record: refused('empty line') } },
  {
    name: 'over 64 KiB',
    input: { line: 'a'.repeat(MAX_LINE_BYTES + 1) },
    expected: { record: refused('line is longer than 65536 bytes (64 KiB)') },
  },
  {
    name: 'over 64 KiB of UTF-8 in fewer characters',
    input: { line: 'é'.repeat(32769) },
    expected: { record: refused('line is longer than 65536 bytes (64 KiB)') },
  },
  {
    name: '64 KiB and a CR is not too long',
    input: { line: `${'x'.repeat(MAX_LINE_BYTES)}\r` },
    expected: { record: refused('not a syslog3164 line: no <PRI> or time stamp at the start') },
  },
  {
    name: 'invalid JSON',
    input: { line: '{"source_ip": ' },
    expected: { detected: 'json', record: refused('not a json line: invalid JSON') },
  },
  {
    name: 'JSON with a bad address',
    input: { line: '{"source_ip":"999.1.1.1"}' },
    expected: { detected: 'json', record: refused('source_ip is not a valid IP address') },
  },
  {
    name: 'syslog from another program',
    input: { line: '<85>Nov 24 10:00:00 bastion sudo:    alice : TTY=pts/0 ; USER=root ; COMMAND=/bin/ls' },
    expected: { detected: 'syslog3164', record: refused(NO_SOURCE_ADDRESS) },
  },
  {
    name: 'sshd naming no address',
    input: { line: 'Nov 24 10:00:00 bastion sshd[1]: Server listening on :: port 22.' },
    expected: { detected: 'syslog3164', record: refused(NO_SOURCE_ADDRESS) },
  },
  {
    name: 'another program cannot frame an address with sshd text',
    input: { line: '<38>Nov 24 10:00:01 web app[5]: Failed password for root from 198.51.100.66 port 22 ssh2' },
    expected: { detected: 'syslog3164', record: refused(NO_SOURCE_ADDRESS) },
  },
  {
    name: 'CEF src not an address',
    input: { line: 'CEF:0|V|P|1|1|n|5|src=999.1.1.1' },
    expected: { detected: 'cef', record: refused('src is not a valid IP address') },
  },
  {
    name: 'LEEF src a host name',
    input: { line: 'LEEF:1.0|V|P|1|ID|src=evil.example' },
    expected: { detected: 'leef', record: refused('src is not a valid IP address') },
  },
  {
    name: 'CEF rt unreadable',
    input: { line: 'CEF:0|V|P|1|1|n|5|src=203.0.113.7 rt=tomorrow' },
    expected: { detected: 'cef', record: refused('rt is not a valid time') },
  },
  {
    name: 'PRI 999',
    input: { line: '<999>Nov 24 10:00:00 h p: m' },
    expected: {
      detected: 'syslog3164',
      record: refused('not a syslog3164 line: syslog PRI 999 is out of range 0-191'),
    },
  },
  {
    name: 'truncated 5424 header',
    input: { line: '<13>1 2026-11-24T10:00:00Z host' },
    expected: {
      detected: 'syslog5424',
      record: refused('not a syslog5424 line: RFC 5424 header is truncated at HOSTNAME'),
    },
  },
  {
    name: 'CEF with too few pipes',
    input: { line: 'CEF:0|a|b' },
    expected: { detected: 'cef', record: refused(`not a cef line: CEF header has 3 of its 7 ${SEVEN}`) },
  },
  {
    name: 'plain text',
    input: { line: 'hello world' },
    expected: { detected: 'syslog3164', record: refused('not a syslog3164 line: no <PRI> or time stamp at the start') },
  },
  {
    name: 'binary junk',
    input: { line: '\u0000\u0001\u00ff\u0016\u0003' },
    expected: { detected: 'syslog3164', record: refused('not a syslog3164 line: no <PRI> or time stamp at the start') },
  },
  {
    name: 'forced json',
    input: { line: AUTH, format: 'json' },
    expected: { record: refused('not a json line: invalid JSON') },
  },
  {
    name: 'forced cef on plain syslog',
    input: { line: AUTH, format: 'cef' },
    expected: { record: refused('not a cef line: the syslog message does not start with CEF:') },
  },
  {
    name: 'forced cef on text',
    input: { line: 'hello', format: 'cef' },
    expected: { record: refused('not a cef line: no CEF: at the start or after a syslog header') },
  },
  {
    name: 'forced leef on CEF',
    input: { line: WORM, format: 'leef' },
    expected: { record: refused('not a leef line: no LEEF: at the start or after a syslog header') },
  },
  {
    name: 'forced 5424 on BSD',
    input: { line: AUTH, format: 'syslog5424' },
    expected: { record: refused('not a syslog5424 line: no version 1 after the PRI') },
  },
  {
    name: 'forced 3164 on 5424',
    input: { line: `<38>1 2026-11-24T12:04:00Z bastion sshd 1 - - ${INVALID_USER}`, format: 'syslog3164' },
    expected: { record: refused('not a syslog3164 line: it is RFC 5424 (version 1 after the PRI)') },
  },
  {
    name: 'forced access on syslog',
    input: { line: AUTH, format: 'access' },
    expected: {
      record: refused('not an access line: expected "client ident user [dd/Mon/yyyy:hh:mm:ss +zzzz]" at the start'),
    },
  },
  {
    name: 'forced access, host name client',
    input: { line: `crawler.example.com - - ${T} "GET / HTTP/1.1" 200 1`, format: 'access' },
    expected: { record: refused('remote_addr is not a valid IP address') },
  },
  {
    name: 'forced sshd on an access line',
    input: { line: `203.0.113.7 - - ${T} "GET / HTTP/1.1" 200 1`, format: 'sshd' },
    expected: { record: refused('not an sshd line: no OpenSSH message this parser knows') },
  },
  {
    name: 'forced syslog3164 on CEF in syslog: read as plain syslog',
    input: { line: `<134>Nov 24 10:00:00 sensor-7 ${WORM}`, format: 'syslog3164' },
    expected: { record: refused(NO_SOURCE_ADDRESS) },
  },
  {
    name: 'a format that does not exist',
    input: { line: AUTH, format: 'xml' as LineFormat },
    expected: { record: refused(`unknown format; use one of ${LINE_FORMATS.join(', ')}`) },
  },
];

/** The record without its attempt evidence (checked below and by the corpus, test/corpus/). */
function withoutAttempt(record: ReturnType<typeof parseLine>): ReturnType<typeof parseLine> {
  if (!record.ok) {
    return record;
  }
  const event = { ...record.event };
  delete event.attempt;
  delete event.lineFormat;
  return { ok: true, event };
}

describe(parseLine.name, () => {
  const run = ({ line, format, now }: Input) =>
    withoutAttempt(parseLine(line, { now: now === undefined ? NOW : new Date(now), format }));

  it('gives sshd lines the keys of their connection (pid, client port) and their role', () => {
    const parsed = parseLine(
      'Nov 24 10:00:01 bastion sshd[42]: Failed password for root from 203.0.113.7 port 4242 ssh2',
      {
        now: NOW,
      },
    );
    expect(parsed.ok && parsed.event.attempt).toEqual({
      keys: ['pbastion#42', 'abastion:4242'],
      role: 'failed',
      count: 1,
    });
  });

  it.each(formats)('each format: $name', ({ input, expected }) => {
    expect(run(input)).toEqual(expected.record);
  });

  it.each(formats)('records the format it read the line as: $name', ({ input, expected }) => {
    const parsed = parseLine(input.line, {
      now: input.now === undefined ? NOW : new Date(input.now),
      format: input.format,
    });
    expect(parsed.ok && parsed.event.lineFormat).toBe(expected.record.ok && (input.format ?? expected.detected));
  });

  it.each(edges)('edge: $name', ({ input, expected }) => {
    expect(run(input)).toEqual(expected.record);
  });

  it.each(failures)('refuses: $name', ({ input, expected }) => {
    expect(run(input)).toEqual(expected.record);
  });

  it('gives canonical addresses and UTC times for every accepted row', () => {
    for (const { input } of [...formats, ...edges]) {
      const parsed = run(input);
      expect(parsed.ok && parsed.event.eventTime.toISOString()).toMatch(/Z$/);
      expect(parsed.ok && parsed.event.sourceIp).not.toMatch(/[A-F]|^::ffff:/);
    }
  });
});

describe(detectFormat.name, () => {
  it.each([...formats, ...edges, ...failures].filter((row) => row.expected.detected !== undefined))(
    'on the parseLine example: $name',
    ({ input, expected }) => {
      expect(detectFormat(input.line.replace(/\r?\n?$/, ''))).toBe(expected.detected);
    },
  );

  it('is shown for every format', () => {
    expect(new Set(formats.map((row) => row.expected.detected)).size).toBe(7);
  });
});

describe(clip.name, () => {
  it.each([
    { name: 'absent', input: { text: undefined, limit: 4 }, expected: undefined },
    { name: 'under', input: { text: 'abc', limit: 4 }, expected: 'abc' },
    { name: 'at the limit', input: { text: 'abcd', limit: 4 }, expected: 'abcd' },
    { name: 'over', input: { text: 'abcde', limit: 4 }, expected: 'abc…' },
    { name: 'does not split a surrogate pair', input: { text: 'ab😀cd', limit: 4 }, expected: 'ab…' },
  ])('$name', ({ input, expected }) => {
    expect(clip(input.text, input.limit)).toBe(expected);
  });
});
