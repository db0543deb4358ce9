import { parseLine } from './line';
import { newLineStream, parseIis, readIisFieldsDirective } from './web-lines';

/**
 * IIS W3C extended logs with the field sets IIS writes (Microsoft's "W3C Extended Log File
 * Format (IIS 6.0)" and IIS 7+ logging's field list): the `#Fields:` directive of a stream sets
 * the order of the lines after it.
 */
const ALL_FIELDS =
  '#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken';

const now = new Date('2026-12-07T00:00:00Z');

interface Row {
  name: string;
  lines: string[];
  /** What the last line gives (a subset of the event), or the start of its reason. */
  expected: Record<string, unknown> | string;
}

const ROWS: Row[] = [
  {
    name: 'every W3C field IIS offers',
    lines: [
      '#Software: Microsoft Internet Information Services 10.0',
      '#Version: 1.0',
      '#Date: 2026-12-06 03:58:00',
      ALL_FIELDS,
      '2026-12-06 03:58:24 W3SVC1 WEB01 10.0.0.4 GET /default.aspx id=1%27+or+1=1-- 443 - 203.0.113.7 HTTP/1.1 Mozilla/5.0+(Windows+NT+10.0) ASP.NET_SessionId=abc https://example.com/ shop.example.com 200 0 0 5120 412 15',
    ],
    expected: {
      sourceIp: '203.0.113.7',
      httpMethod: 'GET',
      url: '/default.aspx?id=1%27+or+1=1--',
      httpStatus: 200,
      userAgent: 'Mozilla/5.0 (Windows NT 10.0)',
      referer: 'https://example.com/',
      host: 'shop.example.com',
      httpHeaders: { cookie: 'ASP.NET_SessionId=abc' },
      lineFormat: 'iis',
      eventTime: new Date('2026-12-06T03:58:24Z'),
    },
  },
  {
    name: 'a subset in another order (c-ip first)',
    lines: [
      '#Fields: c-ip date time cs-method cs-uri-stem sc-status cs(User-Agent)',
      '198.51.100.9 2026-12-06 04:00:00 POST /wp-login.php 401 curl/8.5.0',
    ],
    expected: {
      sourceIp: '198.51.100.9',
      httpMethod: 'POST',
      url: '/wp-login.php',
      httpStatus: 401,
      outcome: 'failure',
      userAgent: 'curl/8.5.0',
    },
  },
  {
    name: 'the IIS default set, written after a site and computer name',
    lines: [
      '#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
      '2026-12-06 04:01:00 W3SVC2 WEB02 10.0.0.5 GET /admin/ - 80 - 2001:db8::9 - - 404 0 2 3',
    ],
    expected: { sourceIp: '2001:db8::9', url: '/admin/', httpStatus: 404, host: 'WEB02' },
  },
  {
    name: 'an IPv4-mapped c-ip and a user name',
    lines: [
      '#Fields: date time c-ip cs-username cs-method cs-uri-stem sc-status',
      '2026-12-06 04:02:00 ::ffff:203.0.113.8 CONTOSO\\bob GET / 200',
    ],
    expected: { sourceIp: '203.0.113.8', user: 'CONTOSO\\bob' },
  },
  {
    name: 'X-Forwarded-For as a logged header is kept for TRUST_PROXY, not believed here',
    lines: [
      '#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(X-Forwarded-For)',
      '2026-12-06 04:03:00 10.0.0.2 GET / 200 203.0.113.50',
    ],
    expected: { sourceIp: '10.0.0.2' },
  },
  {
    name: 'a later #Fields: replaces the earlier one',
    lines: [
      '#Fields: date time c-ip cs-method cs-uri-stem sc-status',
      '#Fields: date time cs-method cs-uri-stem sc-status c-ip',
      '2026-12-06 04:04:00 GET /x 200 192.0.2.44',
    ],
    expected: { sourceIp: '192.0.2.44', url: '/x' },
  },
  {
    name: 'without a directive: the default order',
    lines: [
      '2026-12-06 03:58:24 10.0.0.4 GET /default.aspx - 443 - 203.0.113.7 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 15',
    ],
    expected: { sourceIp: '203.0.113.7', httpStatus: 200 },
  },
  {
    name: 'a line with fewer fields than the directive names',
    lines: ['#Fields: date time c-ip cs-method cs-uri-stem sc-status', '2026-12-06 04:05:00 192.0.2.1 GET /'],
    expected: 'not an iis line: expected 6 W3C fields (the #Fields: directive before it), found 5',
  },
  {
    name: 'a directive without c-ip is refused and does not replace the order',
    lines: [
      '#Fields: date time c-ip cs-method cs-uri-stem sc-status',
      '#Fields: date time cs-method cs-uri-stem sc-status',
      '2026-12-06 04:06:00 192.0.2.2 GET / 200',
    ],
    expected: { sourceIp: '192.0.2.2' },
  },
  {
    name: 'a line of another format after a directive is read as that format',
    lines: [
      '#Fields: date time c-ip cs-method cs-uri-stem sc-status',
      'Nov 24 10:00:01 bastion sshd[1234]: Failed password for root from 203.0.113.70 port 4242 ssh2',
    ],
    expected: { sourceIp: '203.0.113.70', lineFormat: 'syslog3164' },
  },
  {
    name: 'a bad time in a directed line: not read as IIS (nor as anything else)',
    lines: ['#Fields: date time c-ip cs-method cs-uri-stem sc-status', '2026-12-06 4:07 192.0.2.3 GET / 200'],
    expected: 'not a',
  },
];

describe('IIS #Fields: directives', () => {
  it.each(ROWS)('$name', ({ lines, expected }) => {
    const stream = newLineStream();
    const results = lines.map((line) => parseLine(line, { now, stream }));
    for (const directive of results.slice(0, -1)) {
      expect(directive.ok).toBe(false);
    }
    const last = results[results.length - 1];
    if (typeof expected === 'string') {
      expect(last.ok ? 'parsed' : last.reason).toContain(expected);
      return;
    }
    if (!last.ok) {
      throw new Error(last.reason);
    }
    expect(last.event).toMatchObject(expected);
  });

  it('a directive is not an event, whatever the stream; its reason says so', () => {
    const alone = parseLine(ALL_FIELDS, { now });
    const inStream = parseLine(ALL_FIELDS, { now, stream: newLineStream() });
    expect(alone).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not an iis line: IIS #Fields: directive/),
    });
    expect(inStream).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not an iis line: IIS #Fields: directive/),
    });
  });

  it('one stream does not leak its order into another', () => {
    const a = newLineStream();
    parseLine('#Fields: c-ip date time cs-method cs-uri-stem sc-status', { now, stream: a });
    const line = '198.51.100.9 2026-12-06 04:00:00 GET / 200';
    expect(parseLine(line, { now, stream: a }).ok).toBe(true);
    expect(parseLine(line, { now, stream: newLineStream() }).ok).toBe(false);
  });

  it.each([
    { text: '#Fields: date time cs-method', reason: 'no c-ip' },
    { text: '#Fields:', reason: 'names 1-64 fields' },
    { text: '#Fields: date time c-ip <script>', reason: 'unknown kind of field' },
    { text: `#Fields: c-ip ${'cs-x '.repeat(64)}`, reason: 'names 1-64 fields' },
  ])('refuses the directive $text', ({ text, reason }) => {
    const read = readIisFieldsDirective(text);
    expect(read.ok ? 'read' : read.reason).toContain(reason);
  });

  it('reads a long adversarial line in linear time', () => {
    const line = `2026-12-06 04:00:00 ${'a'.repeat(60_000)}`;
    const started = process.hrtime.bigint();
    expect(parseIis(line, ['date', 'time', 'c-ip']).ok).toBe(true);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(100);
  });
});
