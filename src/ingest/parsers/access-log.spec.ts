import { AccessLogEntry, accessFields, parseAccessLog, unescapeLogText } from './access-log';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

const T = '[24/Nov/2026:10:00:00 +0000]';
const AT = new Date('2026-11-24T10:00:00Z');
const TLS = '\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03';

const valid: Row<string, AccessLogEntry>[] = [
  {
    name: 'nginx combined',
    input: `203.0.113.7 - - ${T} "GET /a?b=c HTTP/1.1" 200 2326 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'GET /a?b=c HTTP/1.1',
      method: 'GET',
      url: '/a?b=c',
      protocol: 'HTTP/1.1',
      status: 200,
      bytes: 2326,
      referer: 'https://example.com/',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    },
  },
  {
    name: 'Apache combined (the httpd docs example)',
    input:
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
    expected: {
      remoteAddr: '127.0.0.1',
      user: 'frank',
      time: new Date('2000-10-10T20:55:36Z'),
      request: 'GET /apache_pb.gif HTTP/1.0',
      method: 'GET',
      url: '/apache_pb.gif',
      protocol: 'HTTP/1.0',
      status: 200,
      bytes: 2326,
      referer: 'http://www.example.com/start.html',
      userAgent: 'Mozilla/4.08 [en] (Win98; I ;Nav)',
    },
  },
  {
    name: 'Apache common: no referer or agent',
    input: '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
    expected: {
      remoteAddr: '127.0.0.1',
      user: 'frank',
      time: new Date('2000-10-10T20:55:36Z'),
      request: 'GET /apache_pb.gif HTTP/1.0',
      method: 'GET',
      url: '/apache_pb.gif',
      protocol: 'HTTP/1.0',
      status: 200,
      bytes: 2326,
    },
  },
  {
    name: 'IPv6 client, dash referer',
    input: `2001:db8::1 - - [24/Nov/2026:11:00:00 +0100] "POST /wp-login.php HTTP/1.1" 401 512 "-" "python-requests/2.31.0"`,
    expected: {
      remoteAddr: '2001:db8::1',
      time: AT,
      request: 'POST /wp-login.php HTTP/1.1',
      method: 'POST',
      url: '/wp-login.php',
      protocol: 'HTTP/1.1',
      status: 401,
      bytes: 512,
      userAgent: 'python-requests/2.31.0',
    },
  },
  {
    name: 'TLS handshake to a plain HTTP port: event kept, no method or URL',
    input: `203.0.113.7 - - ${T} "${TLS}" 400 157 "-" "-"`,
    expected: { remoteAddr: '203.0.113.7', time: AT, request: TLS, status: 400, bytes: 157 },
  },
  {
    name: 'nginx "-" request (client closed before sending one)',
    input: `203.0.113.7 - - ${T} "-" 400 0 "-" "-"`,
    expected: { remoteAddr: '203.0.113.7', time: AT, status: 400, bytes: 0 },
  },
  {
    name: 'nginx \\xHH escapes, UTF-8 bytes decoded',
    input: `203.0.113.7 - - ${T} "GET /caf\\xC3\\xA9 HTTP/1.1" 200 1 "-" "Mozilla \\x22quoted\\x22 \\x5C"`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'GET /caf\\xC3\\xA9 HTTP/1.1',
      method: 'GET',
      url: '/café',
      protocol: 'HTTP/1.1',
      status: 200,
      bytes: 1,
      userAgent: 'Mozilla "quoted" \\',
    },
  },
  {
    name: 'Apache \\" escapes',
    input: `203.0.113.7 - - ${T} "GET / HTTP/1.1" 200 1 "-" "sqlmap/1.7 \\"test\\" \\\\"`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'GET / HTTP/1.1',
      method: 'GET',
      url: '/',
      protocol: 'HTTP/1.1',
      status: 200,
      bytes: 1,
      userAgent: 'sqlmap/1.7 "test" \\',
    },
  },
  {
    name: 'escaped quotes in the URL cannot fake the status',
    input: `203.0.113.7 - - ${T} "GET /?q=\\x22 500 9 \\x22 HTTP/1.1" 404 1 "-" "-"`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'GET /?q=\\x22 500 9 \\x22 HTTP/1.1',
      method: 'GET',
      url: '/?q=" 500 9 "',
      protocol: 'HTTP/1.1',
      status: 404,
      bytes: 1,
    },
  },
  {
    name: 'trailing fields of a custom format are ignored, but for a quoted X-Forwarded-For',
    input: `203.0.113.7 - - ${T} "GET / HTTP/2.0" 200 1 "-" "curl/8.4.0" "198.51.100.9" rt=0.004`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'GET / HTTP/2.0',
      method: 'GET',
      url: '/',
      protocol: 'HTTP/2.0',
      status: 200,
      bytes: 1,
      userAgent: 'curl/8.4.0',
      forwardedFor: '198.51.100.9',
    },
  },
  {
    name: 'a user name with spaces and a bracket',
    input: `203.0.113.7 - john [x] smith ${T} "GET / HTTP/1.1" 200 1`,
    expected: {
      remoteAddr: '203.0.113.7',
      user: 'john [x] smith',
      time: AT,
      request: 'GET / HTTP/1.1',
      method: 'GET',
      url: '/',
      protocol: 'HTTP/1.1',
      status: 200,
      bytes: 1,
    },
  },
  {
    name: 'size "-" (Apache, no body)',
    input: `203.0.113.7 - - ${T} "GET / HTTP/1.1" 408 -`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'GET / HTTP/1.1',
      method: 'GET',
      url: '/',
      protocol: 'HTTP/1.1',
      status: 408,
    },
  },
  {
    name: 'HTTP/0.9 request, no protocol',
    input: `203.0.113.7 - - ${T} "GET /" 200 1`,
    expected: { remoteAddr: '203.0.113.7', time: AT, request: 'GET /', method: 'GET', url: '/', status: 200, bytes: 1 },
  },
  {
    name: 'target with a space',
    input: `203.0.113.7 - - ${T} "GET /a b HTTP/1.1" 400 1`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'GET /a b HTTP/1.1',
      method: 'GET',
      url: '/a b',
      protocol: 'HTTP/1.1',
      status: 400,
      bytes: 1,
    },
  },
  {
    name: 'CONNECT probe',
    input: `203.0.113.7 - - ${T} "CONNECT example.com:443 HTTP/1.1" 400 1`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'CONNECT example.com:443 HTTP/1.1',
      method: 'CONNECT',
      url: 'example.com:443',
      protocol: 'HTTP/1.1',
      status: 400,
      bytes: 1,
    },
  },
  {
    name: 'a line cut inside the agent keeps the event without it',
    input: `203.0.113.7 - - ${T} "GET / HTTP/1.1" 200 1 "https://r/" "Mozilla/5.0 (cut`,
    expected: {
      remoteAddr: '203.0.113.7',
      time: AT,
      request: 'GET / HTTP/1.1',
      method: 'GET',
      url: '/',
      protocol: 'HTTP/1.1',
      status: 200,
      bytes: 1,
      referer: 'https://r/',
    },
  },
  {
    name: 'a host name as client (HostnameLookups): parsed, line.ts refuses it',
    input: `crawl-66-249-66-1.googlebot.com - - ${T} "GET / HTTP/1.1" 200 1`,
    expected: {
      remoteAddr: 'crawl-66-249-66-1.googlebot.com',
      time: AT,
      request: 'GET / HTTP/1.1',
      method: 'GET',
      url: '/',
      protocol: 'HTTP/1.1',
      status: 200,
      bytes: 1,
    },
  },
];

const START = 'expected "client ident user [dd/Mon/yyyy:hh:mm:ss +zzzz]" at the start';
const invalid: Row<string, string>[] = [
  { name: 'empty', input: '', expected: START },
  { name: 'address only', input: '203.0.113.7', expected: START },
  {
    name: 'no brackets round the time',
    input: '203.0.113.7 - - 24/Nov/2026:10:00:00 +0000 "GET / HTTP/1.1" 200 1',
    expected: START,
  },
  { name: 'no zone', input: '203.0.113.7 - - [24/Nov/2026:10:00:00] "GET / HTTP/1.1" 200 1', expected: START },
  {
    name: 'Nov 31',
    input: '203.0.113.7 - - [31/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
    expected: 'access log time is not a valid date',
  },
  {
    name: 'not a month',
    input: '203.0.113.7 - - [24/Foo/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
    expected: 'access log time is not a valid date',
  },
  {
    name: 'request not quoted',
    input: `203.0.113.7 - - ${T} GET / HTTP/1.1 200 1`,
    expected: 'expected a quoted request line after the time',
  },
  {
    name: 'request not closed',
    input: `203.0.113.7 - - ${T} "GET / HTTP/1.1 200 1`,
    expected: 'expected a quoted request line after the time',
  },
  {
    name: 'no status',
    input: `203.0.113.7 - - ${T} "GET / HTTP/1.1"`,
    expected: 'expected status and size after the request line',
  },
  {
    name: 'status not a number',
    input: `203.0.113.7 - - ${T} "GET / HTTP/1.1" abc 1`,
    expected: 'expected status and size after the request line',
  },
  {
    name: 'no size',
    input: `203.0.113.7 - - ${T} "GET / HTTP/1.1" 200`,
    expected: 'expected status and size after the request line',
  },
];

describe(parseAccessLog.name, () => {
  it.each(valid)('$name', ({ input, expected }) => {
    expect(parseAccessLog(input)).toEqual({ ok: true, value: expected });
  });

  it.each(invalid)('refuses: $name', ({ input, expected }) => {
    expect(parseAccessLog(input)).toEqual({ ok: false, reason: expected });
  });
});

describe(unescapeLogText.name, () => {
  it.each([
    { name: 'plain', input: 'Mozilla/5.0', expected: 'Mozilla/5.0' },
    { name: 'Apache quote and backslash', input: 'a \\"b\\" \\\\ c', expected: 'a "b" \\ c' },
    { name: 'nginx quote and backslash', input: '\\x22b\\x22 \\x5C', expected: '"b" \\' },
    { name: 'UTF-8 bytes', input: 'caf\\xC3\\xA9', expected: 'café' },
    { name: 'invalid UTF-8', input: '\\xA5', expected: '\uFFFD' },
    { name: 'control bytes', input: '\\x16\\x03', expected: '\u0016\u0003' },
    { name: 'short hex kept', input: 'a\\x4', expected: 'a\\x4' },
    { name: 'other escapes kept', input: 'a\\nb', expected: 'a\\nb' },
    { name: 'trailing backslash', input: 'a\\', expected: 'a\\' },
  ])('$name', ({ input, expected }) => {
    expect(unescapeLogText(input)).toBe(expected);
  });
});

describe(accessFields.name, () => {
  const entry: AccessLogEntry = {
    remoteAddr: '203.0.113.7',
    time: AT,
    request: 'GET / HTTP/1.1',
    method: 'GET',
    url: '/',
  };

  it.each([
    { name: '200 is unknown', input: 200, expected: { outcome: 'unknown', httpStatus: 200 } },
    { name: '401 is a failure', input: 401, expected: { outcome: 'failure', httpStatus: 401 } },
    { name: '403 is a failure', input: 403, expected: { outcome: 'failure', httpStatus: 403 } },
    { name: '404 is unknown', input: 404, expected: { outcome: 'unknown', httpStatus: 404 } },
    { name: '500 is unknown', input: 500, expected: { outcome: 'unknown', httpStatus: 500 } },
    { name: 'nginx 000 is no status', input: 0, expected: { outcome: 'unknown', httpStatus: undefined } },
  ])('$name', ({ input, expected }) => {
    const fields = accessFields({ ...entry, status: input });
    expect({ outcome: fields.outcome, httpStatus: fields.httpStatus }).toEqual(expected);
  });

  it('names the address field and the event type', () => {
    expect(accessFields(entry)).toMatchObject({
      ip: '203.0.113.7',
      ipField: 'remote_addr',
      eventType: 'http_request',
      message: 'GET / HTTP/1.1',
    });
  });
});
