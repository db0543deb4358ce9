/**
 * Writes a realistic web access log (nginx/Apache "combined" lines) for the replay benchmark.
 * Deterministic: the same seed gives the same file. Nothing large is committed; generate it:
 *
 *   npx ts-node --transpile-only bench/access-log.gen.ts [--lines 1000000] [--seed 7] > /tmp/access.log
 *
 * What is in it, over about a day: browsing from a few thousand addresses (pages, assets,
 * searches with quotes and `select` in them, a login now and then), crawlers, and attackers:
 * SQL injection and traversal probes, a sweep of admin and backup paths, a WordPress login
 * flood, and bad bots that name themselves in the user agent (which fail2ban's apache-badbots
 * filter matches).
 */
import { generatorArgs, MONTHS, seededRandom } from './generator';

const args = generatorArgs();
const TARGET = Number(args.get('lines') ?? 1_000_000);
const START = Date.parse(args.get('start') ?? '2026-11-23T00:00:00Z');
const DAY = 86_400_000;
const { random, int, pick } = seededRandom(Number(args.get('seed') ?? 7));

function stamp(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${day}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
}

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];
const CRAWLERS = ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.5.0'];
// User agents fail2ban's apache-badbots filter lists (spam harvesters).
const BAD_BOTS = ['EmailCollector', 'WebEMailExtrac', 'EmailSiphon', 'Mozilla/4.0 efp@gmx.net'];
const PAGES = ['/', '/about', '/blog/', '/blog/2026/11/release-notes', '/docs/install', '/pricing', '/contact'];
const ASSETS = ['/static/app.css', '/static/app.js', '/static/logo.svg', '/favicon.ico', '/static/font.woff2'];
const SEARCHES = ['"select a plan"', 'how to select rows', 'rock & roll', "tom's diner", 'a;b', '1 < 2'];
const INJECTIONS = [
  "/products?id=1' OR '1'='1",
  '/products?id=1%20UNION%20SELECT%20username,password%20FROM%20users--',
  '/download?file=../../../../etc/passwd',
  '/index.php?page=php://filter/convert.base64-encode/resource=index.php',
  '/search?q=%3Cscript%3Ealert(1)%3C/script%3E',
  '/cgi-bin/test.cgi?cmd=;cat%20/etc/passwd',
];
const SWEEP = [
  '/admin/',
  '/phpmyadmin/',
  '/wp-admin/',
  '/.env',
  '/.git/config',
  '/backup.zip',
  '/db.sql',
  '/server-status',
];

function ipOf(n: number): string {
  return `${10 + (n % 200)}.${(n >> 8) & 255}.${(n >> 3) & 255}.${1 + (n % 250)}`;
}

function line(
  ip: string,
  at: number,
  method: string,
  path: string,
  status: number,
  size: number,
  ua: string,
  ref = '-',
): string {
  return `${ip} - - [${stamp(at)}] "${method} ${path} HTTP/1.1" ${status} ${size} "${ref}" "${ua}"`;
}

const out: string[] = [];
let written = 0;
const flush = (): void => {
  if (out.length === 0) {
    return;
  }
  process.stdout.write(`${out.join('\n')}\n`);
  out.length = 0;
};
let t = START;
const step = DAY / TARGET;
while (written < TARGET) {
  t += step;
  const roll = random();
  let entry: string;
  if (roll < 0.9) {
    const visitor = int(1, 4000);
    const ua = BROWSERS[visitor % BROWSERS.length];
    const kind = random();
    if (kind < 0.45) {
      entry = line(ipOf(visitor), t, 'GET', pick(ASSETS), 200, int(300, 90_000), ua, 'https://example.org/');
    } else if (kind < 0.85) {
      entry = line(ipOf(visitor), t, 'GET', pick(PAGES), 200, int(2000, 40_000), ua);
    } else if (kind < 0.95) {
      const q = encodeURIComponent(pick(SEARCHES)).replace(/%20/g, '+');
      entry = line(ipOf(visitor), t, 'GET', `/search?q=${q}&page=${int(1, 5)}`, 200, int(2000, 9000), ua);
    } else {
      entry = line(ipOf(visitor), t, 'POST', '/login', pick([200, 302, 302, 401]), int(100, 900), ua);
    }
  } else if (roll < 0.95) {
    entry = line(ipOf(int(5000, 5020)), t, 'GET', pick(PAGES), 200, int(2000, 40_000), pick(CRAWLERS));
  } else if (roll < 0.97) {
    entry = line(
      ipOf(int(6000, 6100)),
      t,
      'GET',
      pick(INJECTIONS),
      pick([200, 400, 403, 404]),
      int(0, 600),
      pick(BROWSERS),
    );
  } else if (roll < 0.985) {
    entry = line(ipOf(int(7000, 7050)), t, 'GET', pick(SWEEP), 404, 162, 'Mozilla/5.0 zgrab/0.x');
  } else if (roll < 0.995) {
    entry = line(ipOf(int(8000, 8020)), t, 'POST', '/wp-login.php', 200, 4012, pick(BROWSERS));
  } else {
    entry = line(ipOf(int(9000, 9040)), t, 'GET', pick(PAGES), 200, int(2000, 40_000), pick(BAD_BOTS));
  }
  out.push(entry);
  written += 1;
  if (out.length >= 10_000) {
    flush();
  }
}
flush();
