import { CefMessage, cefFields, parseCef, parseKeyValues, splitPipeHeader } from './cef';
import { LineFields } from './fields';
import { parseSyslog } from './syslog';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

const NOW = new Date('2026-11-24T12:00:00Z');
const WORM = 'CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232';
const IMPERVA =
  'CEF:0|Imperva Inc.|SecureSphere|14.7.0|SQL Injection|SQL Injection|High|act=Block dst=10.0.0.5 dpt=443 duser=n/a ' +
  'src=198.51.100.23 spt=51234 proto=TCP rt=Nov 24 2026 10:00:00 cat=Alert cs1=Default Web Policy cs1Label=Policy ' +
  'requestMethod=GET request=/index.php?id\\=1%20union%20select requestClientApplication=Mozilla/5.0 (compatible; sqlmap/1.7)';
const FORTINET =
  'CEF:0|Fortinet|Fortigate|v7.2.5,build1517 (GA.F)|00013|traffic:forward deny|3|deviceExternalId=FG100ETK18000000 ' +
  'FTNTFGTlogid=0000000013 cat=traffic:forward FTNTFGTsubtype=forward src=203.0.113.7 spt=51515 dst=10.0.0.5 dpt=22 ' +
  'proto=6 act=deny dvchost=FGT-EDGE-1 rt=1795514400000';

const cef = (header: Partial<CefMessage>, extension: Record<string, string>): CefMessage => ({
  version: 0,
  deviceVendor: 'Security',
  deviceProduct: 'threatmanager',
  deviceVersion: '1.0',
  signatureId: '100',
  name: '',
  severity: '10',
  ...header,
  extension,
});

describe(splitPipeHeader.name, () => {
  it.each([
    {
      name: 'fields and the rest',
      input: { text: 'a|b|c|d', count: 2 },
      expected: { fields: ['a', 'b'], rest: 'c|d' },
    },
    { name: 'escaped pipe', input: { text: 'a\\|b|c', count: 1 }, expected: { fields: ['a|b'], rest: 'c' } },
    {
      name: 'escaped backslash before a pipe',
      input: { text: 'a\\\\|b', count: 1 },
      expected: { fields: ['a\\'], rest: 'b' },
    },
    { name: 'another escape stays', input: { text: 'a\\xb|c', count: 1 }, expected: { fields: ['a\\xb'], rest: 'c' } },
    { name: 'too few: last one unterminated', input: { text: 'a|b', count: 3 }, expected: { fields: ['a', 'b'] } },
    { name: 'empty rest', input: { text: 'a|', count: 1 }, expected: { fields: ['a'], rest: '' } },
    { name: 'empty', input: { text: '', count: 1 }, expected: { fields: [''] } },
  ])('$name', ({ input, expected }) => {
    expect(splitPipeHeader(input.text, input.count)).toEqual(expected);
  });
});

describe(parseKeyValues.name, () => {
  it.each([
    {
      name: 'simple',
      input: 'src=10.0.0.1 dst=2.1.2.2 spt=1232',
      expected: { src: '10.0.0.1', dst: '2.1.2.2', spt: '1232' },
    },
    {
      name: 'values with spaces and a pipe',
      input: 'msg=hello world act=blocked a | dst=1.1.1.1',
      expected: { msg: 'hello world', act: 'blocked a |', dst: '1.1.1.1' },
    },
    { name: 'escaped =', input: 'act=blocked a \\= dst=1.1.1.1', expected: { act: 'blocked a =', dst: '1.1.1.1' } },
    { name: 'escaped backslash', input: 'fname=C:\\\\temp\\\\x.exe', expected: { fname: 'C:\\temp\\x.exe' } },
    { name: 'escaped newline and CR', input: 'msg=line1\\nline2\\rend', expected: { msg: 'line1\nline2\rend' } },
    {
      name: '= inside a value (not after a space)',
      input: 'request=https://x/?a=b&c=d spt=1',
      expected: { request: 'https://x/?a=b&c=d', spt: '1' },
    },
    {
      name: 'the first of a repeated key wins',
      input: 'src=203.0.113.7 msg=x src=198.51.100.66',
      expected: { src: '203.0.113.7', msg: 'x' },
    },
    { name: 'text before the first key is dropped', input: 'garbage here src=1', expected: { src: '1' } },
    { name: 'trailing spaces dropped', input: 'src=1.1.1.1   ', expected: { src: '1.1.1.1' } },
    { name: 'empty value', input: 'a= b=2', expected: { a: '', b: '2' } },
    {
      name: 'key characters',
      input: 'cs1Label=Policy ad.Field[0]=x _cefVer=0.1',
      expected: { cs1Label: 'Policy', 'ad.Field[0]': 'x', _cefVer: '0.1' },
    },
    { name: 'a value that is all = signs', input: 'a==== b=1', expected: { a: '===', b: '1' } },
    { name: 'empty', input: '', expected: {} },
  ])('$name', ({ input, expected }) => {
    expect(parseKeyValues(input)).toEqual(expected);
  });

  it('keeps __proto__ as a key, not a prototype', () => {
    const out = parseKeyValues('__proto__=x polluted=yes');
    expect(Object.keys(out)).toEqual(['__proto__', 'polluted']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

const valid: Row<string, CefMessage>[] = [
  {
    name: 'CEF spec example',
    input: WORM,
    expected: cef({ name: 'worm successfully stopped' }, { src: '10.0.0.1', dst: '2.1.2.2', spt: '1232' }),
  },
  {
    name: 'escaped pipe in the header, bare pipe in the extension',
    input: 'CEF:0|security|threatmanager|1.0|100|detected a \\| in message|10|src=10.0.0.1 act=blocked a | dst=1.1.1.1',
    expected: cef(
      { deviceVendor: 'security', name: 'detected a | in message' },
      { src: '10.0.0.1', act: 'blocked a |', dst: '1.1.1.1' },
    ),
  },
  {
    name: 'escaped backslashes',
    input:
      'CEF:0|security|threatmanager|1.0|100|detected a \\\\ in packet|10|src=10.0.0.1 act=blocked a \\\\ dst=1.1.1.1',
    expected: cef(
      { deviceVendor: 'security', name: 'detected a \\ in packet' },
      { src: '10.0.0.1', act: 'blocked a \\', dst: '1.1.1.1' },
    ),
  },
  {
    name: 'escaped = in the extension',
    input: 'CEF:0|security|threatmanager|1.0|100|detected a = in message|10|src=10.0.0.1 act=blocked a \\= dst=1.1.1.1',
    expected: cef(
      { deviceVendor: 'security', name: 'detected a = in message' },
      { src: '10.0.0.1', act: 'blocked a =', dst: '1.1.1.1' },
    ),
  },
  {
    name: 'ArcSight Logger internal event',
    input:
      'CEF:0|ArcSight|Logger|5.0.0.5355.2|sensor:115|Logger Internal Event|1|cat=/Monitor/Sensor/Fan5 cs2=Current Value cnt=1 dvc=10.0.0.1 cs3=Ok cs1=null type=0 cs1Label=unit rt=1305034099211 cs3Label=Status cn1Label=value cs2Label=timeframe',
    expected: cef(
      {
        deviceVendor: 'ArcSight',
        deviceProduct: 'Logger',
        deviceVersion: '5.0.0.5355.2',
        signatureId: 'sensor:115',
        name: 'Logger Internal Event',
        severity: '1',
      },
      {
        cat: '/Monitor/Sensor/Fan5',
        cs2: 'Current Value',
        cnt: '1',
        dvc: '10.0.0.1',
        cs3: 'Ok',
        cs1: 'null',
        type: '0',
        cs1Label: 'unit',
        rt: '1305034099211',
        cs3Label: 'Status',
        cn1Label: 'value',
        cs2Label: 'timeframe',
      },
    ),
  },
  {
    name: 'no extension and no pipe after the severity',
    input: 'CEF:1|V|P|1|100|name|5',
    expected: {
      version: 1,
      deviceVendor: 'V',
      deviceProduct: 'P',
      deviceVersion: '1',
      signatureId: '100',
      name: 'name',
      severity: '5',
      extension: {},
    },
  },
  {
    name: 'empty extension',
    input: 'CEF:0|V|P|1|100|name|Very-High|',
    expected: {
      version: 0,
      deviceVendor: 'V',
      deviceProduct: 'P',
      deviceVersion: '1',
      signatureId: '100',
      name: 'name',
      severity: 'Very-High',
      extension: {},
    },
  },
];

const SEVEN = '|-separated fields (version, vendor, product, version, signature id, name, severity)';
const invalid: Row<string, string>[] = [
  { name: 'too few pipes', input: 'CEF:0|a|b', expected: `CEF header has 3 of its 7 ${SEVEN}` },
  { name: 'marker only', input: 'CEF:', expected: `CEF header has 1 of its 7 ${SEVEN}` },
  {
    name: 'escaped pipes do not count',
    input: 'CEF:0|a\\|b\\|c\\|d\\|e\\|f',
    expected: `CEF header has 2 of its 7 ${SEVEN}`,
  },
  { name: 'version not a number', input: 'CEF:x|V|P|1|100|name|5|', expected: 'CEF version is not a number' },
  { name: 'not CEF', input: 'LEEF:1.0|V|P|1|ID|', expected: 'no CEF: at the start' },
];

describe(parseCef.name, () => {
  it.each(valid)('$name', ({ input, expected }) => {
    expect(parseCef(input)).toEqual({ ok: true, value: expected });
  });

  it.each(invalid)('refuses: $name', ({ input, expected }) => {
    expect(parseCef(input)).toEqual({ ok: false, reason: expected });
  });
});

describe(cefFields.name, () => {
  const fields = (text: string, syslogLine?: string) => {
    const parsed = parseCef(text);
    if (!parsed.ok) {
      throw new Error(parsed.reason);
    }
    const syslog = syslogLine === undefined ? undefined : (parseSyslog(syslogLine, NOW) ?? undefined);
    const result = cefFields(parsed.value, syslog, NOW);
    return result.ok ? { ...result.value, sshd: result.value.sshd?.kind } : result.reason;
  };

  it.each<Row<{ text: string; syslog?: string }, (Omit<LineFields, 'sshd'> & { sshd?: string }) | string>>([
    {
      name: 'under a syslog header: its time and host',
      input: { text: WORM, syslog: `<134>Sep 19 08:26:10 sensor-7 ${WORM}` },
      expected: {
        time: new Date('2026-09-19T08:26:10Z'),
        ip: '10.0.0.1',
        ipField: 'src',
        port: 1232,
        eventType: 'worm_successfully_stopped',
        host: 'sensor-7',
      },
    },
    {
      name: 'Imperva WAF: rt as MMM dd yyyy, request fields, act=Block',
      input: { text: IMPERVA },
      expected: {
        time: new Date('2026-11-24T10:00:00Z'),
        ip: '198.51.100.23',
        ipField: 'src',
        port: 51234,
        eventType: 'sql_injection',
        outcome: 'failure',
        url: '/index.php?id=1%20union%20select',
        httpMethod: 'GET',
        userAgent: 'Mozilla/5.0 (compatible; sqlmap/1.7)',
      },
    },
    {
      name: 'Fortinet: epoch rt, dvchost, act=deny',
      input: { text: FORTINET },
      expected: {
        time: new Date('2026-11-24T10:00:00Z'),
        ip: '203.0.113.7',
        ipField: 'src',
        port: 51515,
        eventType: 'traffic_forward_deny',
        outcome: 'failure',
        host: 'FGT-EDGE-1',
      },
    },
    {
      name: 'dhost before dvchost, suser, msg, outcome over act, end when no rt',
      input: {
        text: 'CEF:0|V|P|1|42||5|dhost=web-1 dvchost=ids-1 suser=alice msg=Login ok outcome=/Success act=blocked end=1795514400000 spt=99999',
      },
      expected: {
        time: new Date('2026-11-24T10:00:00Z'),
        ipField: 'src',
        eventType: '42',
        outcome: 'success',
        host: 'web-1',
        user: 'alice',
        message: 'Login ok',
        sshd: undefined,
      },
    },
    {
      name: 'an sshd message and no src',
      input: {
        text: 'CEF:0|OpenSSH|sshd|9.6|auth|SSH login|5|msg=Failed password for root from 203.0.113.7 port 4242 ssh2',
      },
      expected: {
        ipField: 'src',
        eventType: 'ssh_login',
        message: 'Failed password for root from 203.0.113.7 port 4242 ssh2',
        sshd: 'failed_password',
      },
    },
    {
      name: 'rt unreadable',
      input: { text: 'CEF:0|V|P|1|42|n|5|src=1.2.3.4 rt=Nov 24 2026 10:00:00 CET' },
      expected: 'rt is not a valid time',
    },
    {
      name: 'end unreadable',
      input: { text: 'CEF:0|V|P|1|42|n|5|src=1.2.3.4 end=soon' },
      expected: 'end is not a valid time',
    },
  ])('$name', ({ input, expected }) => {
    expect(fields(input.text, input.syslog)).toEqual(expected);
  });
});
