import { LineFields } from './fields';
import { LeefMessage, leefFields, parseLeef } from './leef';
import { parseSyslog } from './syslog';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

const NOW = new Date('2026-11-24T12:00:00Z');
const ATTRS = {
  src: '192.0.2.0',
  dst: '172.50.123.1',
  sev: '5',
  cat: 'anomaly',
  srcPort: '81',
  dstPort: '21',
  usrName: 'joe.black',
};
const QRADAR_1 =
  'LEEF:1.0|Microsoft|MSExchange|4.0 SP1|15345|src=192.0.2.0\tdst=172.50.123.1\tsev=5\tcat=anomaly\tsrcPort=81\tdstPort=21\tusrName=joe.black';
const QRADAR_2 =
  'LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=192.0.2.0^dst=172.50.123.1^sev=5^cat=anomaly^srcPort=81^dstPort=21^usrName=joe.black';
const exchange = {
  version: '1.0',
  vendor: 'Microsoft',
  product: 'MSExchange',
  productVersion: '4.0 SP1',
  eventId: '15345',
  delimiter: '\t',
} as const;
const lancope = {
  version: '2.0',
  vendor: 'Lancope',
  product: 'StealthWatch',
  productVersion: '1.0',
  eventId: '41',
  delimiter: '^',
} as const;
const leef = (header: Omit<LeefMessage, 'attributes'>, attributes: Record<string, string>): LeefMessage => ({
  ...header,
  attributes,
});
const vp = { vendor: 'V', product: 'P', productVersion: '1', eventId: 'ID' };

const valid: Row<string, LeefMessage>[] = [
  { name: 'QRadar LEEF 1.0 sample (tabs)', input: QRADAR_1, expected: leef(exchange, ATTRS) },
  { name: 'QRadar LEEF 2.0 sample (^)', input: QRADAR_2, expected: leef(lancope, ATTRS) },
  { name: 'LEEF 2.0, delimiter as x5E', input: QRADAR_2.replace('|^|', '|x5E|'), expected: leef(lancope, ATTRS) },
  {
    name: 'LEEF 2.0, delimiter as 0x09 (tab)',
    input: 'LEEF:2.0|V|P|1|ID|0x09|src=203.0.113.7\tusrName=root',
    expected: leef({ version: '2.0', ...vp, delimiter: '\t' }, { src: '203.0.113.7', usrName: 'root' }),
  },
  {
    name: 'LEEF 2.0, empty delimiter is tab',
    input: 'LEEF:2.0|V|P|1|ID||src=203.0.113.7\tusrName=root',
    expected: leef({ version: '2.0', ...vp, delimiter: '\t' }, { src: '203.0.113.7', usrName: 'root' }),
  },
  {
    name: 'tabs escaped by rsyslog as #011',
    input: QRADAR_1.replace(/\t/g, '#011'),
    expected: leef(exchange, ATTRS),
  },
  {
    name: 'no tabs at all: read CEF-style, values with spaces',
    input: 'LEEF:1.0|V|P|1|ID|src=203.0.113.7 usrName=john smith cat=Login Failed',
    expected: leef(
      { version: '1.0', ...vp, delimiter: '\t' },
      { src: '203.0.113.7', usrName: 'john smith', cat: 'Login Failed' },
    ),
  },
  {
    name: 'a value with = and a key with spaces round it',
    input: 'LEEF:1.0|V|P|1|ID| url =/a?b=c\t\tnokey\t=x',
    expected: leef({ version: '1.0', ...vp, delimiter: '\t' }, { url: '/a?b=c' }),
  },
  {
    name: 'no attributes, no last pipe',
    input: 'LEEF:1.0|V|P|1|ID',
    expected: leef({ version: '1.0', ...vp, delimiter: '\t' }, {}),
  },
  {
    name: 'version 1 means 1.0',
    input: 'LEEF:1|V|P|1|ID|src=1',
    expected: leef({ version: '1.0', ...vp, delimiter: '\t' }, { src: '1' }),
  },
  {
    name: 'escaped pipe in the header',
    input: 'LEEF:1.0|V|P|1|a\\|b|src=1',
    expected: leef({ version: '1.0', ...vp, eventId: 'a|b', delimiter: '\t' }, { src: '1' }),
  },
];

const DELIMITER = 'LEEF 2.0 delimiter must be one character or its hex code (x5E)';
const invalid: Row<string, string>[] = [
  { name: 'version 3', input: 'LEEF:3.0|V|P|1|ID|', expected: 'LEEF version must be 1.0 or 2.0' },
  { name: 'no version', input: 'LEEF:', expected: 'LEEF version must be 1.0 or 2.0' },
  { name: '__proto__ as version', input: 'LEEF:__proto__|V|P|1|ID|', expected: 'LEEF version must be 1.0 or 2.0' },
  {
    name: 'LEEF 1.0, too few pipes',
    input: 'LEEF:1.0|V|P',
    expected: 'LEEF 1.0 header has 3 of its 5 |-separated fields (version, vendor, product, version, event id)',
  },
  {
    name: 'LEEF 2.0 without the delimiter field',
    input: 'LEEF:2.0|V|P|1|ID',
    expected:
      'LEEF 2.0 header has 5 of its 6 |-separated fields (version, vendor, product, version, event id, delimiter)',
  },
  { name: 'two-character delimiter', input: 'LEEF:2.0|V|P|1|ID|ab|x=1', expected: DELIMITER },
  { name: 'attributes where the delimiter goes', input: 'LEEF:2.0|V|P|1|ID|src=1.2.3.4^a=b', expected: DELIMITER },
  { name: '= as delimiter', input: 'LEEF:2.0|V|P|1|ID|x3D|a=1', expected: DELIMITER },
  { name: 'not LEEF', input: 'CEF:0|V|P|1|100|n|5|', expected: 'no LEEF: at the start' },
];

describe(parseLeef.name, () => {
  it.each(valid)('$name', ({ input, expected }) => {
    expect(parseLeef(input)).toEqual({ ok: true, value: expected });
  });

  it.each(invalid)('refuses: $name', ({ input, expected }) => {
    expect(parseLeef(input)).toEqual({ ok: false, reason: expected });
  });
});

describe(leefFields.name, () => {
  const fields = (text: string, syslogLine?: string) => {
    const parsed = parseLeef(text);
    if (!parsed.ok) {
      throw new Error(parsed.reason);
    }
    const syslog = syslogLine === undefined ? undefined : (parseSyslog(syslogLine, NOW) ?? undefined);
    const result = leefFields(parsed.value, syslog, NOW);
    return result.ok ? { ...result.value, sshd: result.value.sshd?.kind } : result.reason;
  };
  const at = (iso: string) => new Date(iso);
  const base = 'LEEF:2.0|V|P|1|Login|^|src=203.0.113.7^';

  it.each<Row<{ text: string; syslog?: string }, (Omit<LineFields, 'sshd'> & { sshd?: string }) | string>>([
    {
      name: 'QRadar 1.0 sample: dst is the host',
      input: { text: QRADAR_1 },
      expected: {
        ip: '192.0.2.0',
        ipField: 'src',
        port: 81,
        eventType: '15345',
        host: '172.50.123.1',
        user: 'joe.black',
      },
    },
    {
      name: 'under a syslog header: its time; identHostName before dst',
      input: {
        text: `${QRADAR_2}^identHostName=ws-12`,
        syslog: `Jan 18 11:07:53 192.168.1.1 ${QRADAR_2}^identHostName=ws-12`,
      },
      expected: {
        time: at('2026-01-18T11:07:53Z'),
        ip: '192.0.2.0',
        ipField: 'src',
        port: 81,
        eventType: '41',
        host: 'ws-12',
        user: 'joe.black',
      },
    },
    {
      name: 'devTime with a Java devTimeFormat',
      input: { text: `${base}devTime=2026-11-24T11:00:00.250+0100^devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ` },
      expected: { time: at('2026-11-24T10:00:00.250Z'), ip: '203.0.113.7', ipField: 'src', eventType: 'login' },
    },
    {
      name: 'devTimeFormat without a year',
      input: { text: `${base}devTime=Nov 24 10:00:00^devTimeFormat=MMM dd HH:mm:ss` },
      expected: { time: at('2026-11-24T10:00:00Z'), ip: '203.0.113.7', ipField: 'src', eventType: 'login' },
    },
    {
      name: 'devTime in the default MMM dd yyyy HH:mm:ss',
      input: { text: `${base}devTime=Nov 24 2026 10:00:00` },
      expected: { time: at('2026-11-24T10:00:00Z'), ip: '203.0.113.7', ipField: 'src', eventType: 'login' },
    },
    {
      name: 'devTime as epoch ms',
      input: { text: `${base}devTime=1795514400000` },
      expected: { time: at('2026-11-24T10:00:00Z'), ip: '203.0.113.7', ipField: 'src', eventType: 'login' },
    },
    {
      name: 'a devTimeFormat that is not simple falls back to the usual forms',
      input: { text: `${base}devTime=2026-11-24T10:00:00Z^devTimeFormat=EEE, d MMM yyyy` },
      expected: { time: at('2026-11-24T10:00:00Z'), ip: '203.0.113.7', ipField: 'src', eventType: 'login' },
    },
    {
      name: 'web fields, outcome from cat',
      input: {
        text: `${base}url=/wp-login.php^http-user-agent=Mozilla/5.0^cat=Login Failed^usrName=admin^proto=TCP^sev=7`,
      },
      expected: {
        ip: '203.0.113.7',
        ipField: 'src',
        eventType: 'login',
        outcome: 'failure',
        user: 'admin',
        url: '/wp-login.php',
        userAgent: 'Mozilla/5.0',
      },
    },
    {
      name: 'userAgent before http-user-agent',
      input: { text: `${base}userAgent=curl/8^http-user-agent=other` },
      expected: { ip: '203.0.113.7', ipField: 'src', eventType: 'login', userAgent: 'curl/8' },
    },
    {
      name: 'an sshd message and no src',
      input: { text: 'LEEF:1.0|OpenSSH|sshd|9.6|auth|msg=Invalid user oracle from 203.0.113.9 port 51234' },
      expected: {
        ipField: 'src',
        eventType: 'auth',
        message: 'Invalid user oracle from 203.0.113.9 port 51234',
        sshd: 'invalid_user',
      },
    },
    {
      name: 'devTime that does not match devTimeFormat',
      input: { text: `${base}devTime=24/11/2026^devTimeFormat=yyyy-MM-dd HH:mm:ss` },
      expected: 'devTime is not a valid time (or does not match devTimeFormat)',
    },
    {
      name: 'devTime of a day that does not exist',
      input: { text: `${base}devTime=Nov 31 2026 10:00:00` },
      expected: 'devTime is not a valid time (or does not match devTimeFormat)',
    },
  ])('$name', ({ input, expected }) => {
    expect(fields(input.text, input.syslog)).toEqual(expected);
  });
});
