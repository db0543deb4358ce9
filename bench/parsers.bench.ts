/**
 * Lines per second of each parser through `parseLine` (detection included), in-process.
 *
 *   npm run bench:parsers            # 200,000 lines per format
 *   npm run bench:parsers -- 50000   # another count
 */
import { parseLine } from '../src/ingest/parsers/line';

const count = Number(process.argv[2] ?? 200_000);
const now = new Date('2026-11-24T12:00:00Z');

const ip = (i: number) => `198.51.${(i >> 8) & 255}.${i & 255}`;
const SAMPLES: Record<string, (i: number) => string> = {
  'sshd (auth.log)': (i) =>
    `Nov 24 10:${String(i % 60).padStart(2, '0')}:01 bastion-1 sshd[${i}]: Failed password for invalid user u${i % 97} from ${ip(i)} port ${1024 + (i % 60000)} ssh2`,
  'syslog RFC 5424': (i) =>
    `<38>1 2026-11-24T10:00:01.${String(i % 1000).padStart(3, '0')}Z bastion-1 sshd ${i} - [meta sequenceId="${i}"] Invalid user oracle from ${ip(i)} port 4242`,
  'nginx combined': (i) =>
    `${ip(i)} - - [24/Nov/2026:10:00:01 +0000] "GET /products/${i}?q=select+a+plan HTTP/1.1" 200 ${i % 5000} "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"`,
  CEF: (i) =>
    `CEF:0|Imperva Inc.|SecureSphere|12.0|${i % 50}|Web attack|High|src=${ip(i)} spt=${1024 + (i % 60000)} suser=admin request=/login?id\\=${i} requestClientApplication=Mozilla/5.0`,
  'LEEF 2.0': (i) =>
    `LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=${ip(i)}^dst=10.0.0.1^usrName=admin^devTime=${1764000000000 + i}`,
  'JSON (flat)': (i) =>
    JSON.stringify({ timestamp: '2026-11-24T10:00:01Z', source_ip: ip(i), event_type: 'http_request', url: `/a/${i}` }),
};

let failures = 0;
const rows = Object.entries(SAMPLES).map(([format, make]) => {
  const lines = Array.from({ length: count }, (_, i) => make(i));
  for (const line of lines.slice(0, 1000)) {
    parseLine(line, { now });
  }
  const started = process.hrtime.bigint();
  let ok = 0;
  for (const line of lines) {
    if (parseLine(line, { now }).ok) {
      ok += 1;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  failures += count - ok;
  return { format, lines: count, parsed: ok, 'lines/s': Math.round(count / seconds) };
});
console.table(rows);
if (failures > 0) {
  console.error(`${failures} sample line(s) did not parse`);
  process.exitCode = 1;
}
