import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, TestApp } from './harness';
import { freePort } from './entry-point';

/**
 * Real attack tools against a real nginx on loopback, its access logs fed through the service.
 * nginx runs as this test's own process (no system service) and writes the same requests in three
 * formats at once: combined, vhost_combined and JSON (escape=json). Each tool runs bounded (a time
 * cap; sqlmap and nmap also by their own options) and only against 127.0.0.1. Each tool's lines
 * get an address of their own per format, so every (tool, format) pair is one actor.
 *
 * What must hold: each tool's actor is blocked by its first 50 requests, in every format; the
 * benign crawl (ordinary pages, query strings with `select` and `;` in them) is never flagged.
 */
const TOOLS = ['nginx', 'sqlmap', 'wapiti', 'nmap'];
const FORMATS = ['combined', 'vhost', 'json'] as const;
type Format = (typeof FORMATS)[number];
const FIRST = 50;

const PAGE = (title: string) => `<html><body><h1>${title}</h1>
<a href="/shop/item.html?id=1">item 1</a> <a href="/shop/item.html?id=2&amp;ref=home">item 2</a>
<a href="/search?q=select+a+gift&amp;sort=price">gifts</a> <a href="/blog/post.html?title=union+station;+a+trip">trip</a>
<a href="/login">login</a> <a href="/blog/">blog</a> <img src="/img/logo.png">
<form action="/search" method="get"><input name="q" value="x"></form></body></html>`;

function nginxConfig(dir: string, port: number): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `${name}_temp_path ${dir}/tmp;`)
    .join(' ');
  return `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log info;
events { worker_connections 64; }
http {
  ${temp}
  log_format vhost '$host:$server_port $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
  log_format jsonlog escape=json '{"time":"$time_iso8601","remote_addr":"$remote_addr","remote_user":"$remote_user","request":"$request","status":$status,"body_bytes_sent":$body_bytes_sent,"http_referer":"$http_referer","http_user_agent":"$http_user_agent","host":"$host"}';
  server {
    listen 127.0.0.1:${port};
    root ${dir}/html;
    access_log ${dir}/combined.log combined;
    access_log ${dir}/vhost.log vhost;
    access_log ${dir}/json.log jsonlog;
    location / { try_files $uri $uri/index.html =404; }
    location /search { default_type text/html; return 200 '<html><body><a href="/shop/item.html?id=3">x</a></body></html>'; }
    location /login { default_type text/html; return 200 '<form action="/login" method="post"><input name="user"></form>'; }
  }
}`;
}

function site(dir: string): void {
  for (const path of ['html/shop', 'html/blog', 'html/img', 'tmp']) {
    mkdirSync(join(dir, path), { recursive: true });
  }
  for (const [path, title] of [
    ['index.html', 'Shop'],
    ['shop/item.html', 'Item'],
    ['blog/post.html', 'Post'],
    ['blog/index.html', 'Blog'],
  ]) {
    writeFileSync(join(dir, 'html', path), PAGE(title));
  }
  writeFileSync(join(dir, 'html/img/logo.png'), 'png');
  // nginx's workers run as nobody when the test runs as root (CI): they must read the site.
  for (const path of ['', 'html', 'html/shop', 'html/blog', 'html/img']) {
    chmodSync(join(dir, path), 0o755);
  }
  chmodSync(join(dir, 'tmp'), 0o777);
}

function run(command: string, args: string[], seconds: number, cwd: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'ignore', env: { ...process.env, HOME: cwd } });
    const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A browsing session: follows the site's links and searches like a person would. */
async function crawl(base: string): Promise<void> {
  const headers = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0' };
  const seen = new Set<string>();
  const queue = ['/'];
  while (queue.length > 0 && seen.size < 30) {
    const path = queue.shift() as string;
    if (seen.has(path)) {
      continue;
    }
    seen.add(path);
    const body = await (await fetch(base + path, { headers: { ...headers, referer: `${base}/` } })).text();
    for (const [, href] of body.matchAll(/(?:href|src)="(\/[^"]*)"/g)) {
      queue.push(href.replace(/&amp;/g, '&'));
    }
  }
  const searches = [
    'select a gift',
    'drop shipping; returns',
    'union jack flag',
    "O'Reilly books",
    'tom & jerry',
    '1=1 math',
    'sleep mask',
    'order by price',
    'cat toys; ls series',
    'C++ book',
    '50% off',
    'script writing',
  ];
  for (const q of searches) {
    await fetch(`${base}/search?q=${encodeURIComponent(q)}&sort=price;desc`, { headers });
  }
}

const addressOf = (tool: number, format: number) => `198.51.${100 + format}.${10 + tool}`;

function rewrite(line: string, format: Format, ip: string): string {
  switch (format) {
    case 'combined':
      return line.replace(/^127\.0\.0\.1 /, `${ip} `);
    case 'vhost':
      return line.replace(/^(\S*) 127\.0\.0\.1 /, `$1 ${ip} `);
    case 'json':
      return line.replace('"remote_addr":"127.0.0.1"', `"remote_addr":"${ip}"`);
  }
}

describe('real attack tools against nginx, its access logs through the service', () => {
  let dir: string;
  let nginx: ChildProcess;
  let t: TestApp;
  let base: string;
  const seen: Record<Format, number> = { combined: 0, vhost: 0, json: 0 };

  /** The lines each log gained since the last call, with their address rewritten. */
  function newLines(tool: number): Record<Format, string[]> {
    const out = {} as Record<Format, string[]>;
    FORMATS.forEach((format, f) => {
      const all = readFileSync(join(dir, `${format}.log`), 'utf8')
        .split('\n')
        .filter(Boolean);
      out[format] = all.slice(seen[format]).map((line) => rewrite(line, format, addressOf(tool, f)));
      seen[format] = all.length;
    });
    return out;
  }

  async function ingest(lines: string[]): Promise<void> {
    for (let i = 0; i < lines.length; i += 1000) {
      await request(t.server)
        .post('/ingest-log/raw')
        .set('Content-Type', 'text/plain')
        .send(lines.slice(i, i + 1000).join('\n'))
        .expect(202);
    }
  }

  beforeAll(async () => {
    const missing = TOOLS.filter((tool) => spawnSync('which', [tool]).status !== 0);
    if (missing.length > 0) {
      throw new Error(`missing programs: ${missing.join(', ')} (apt-get install ${missing.join(' ')}; see .ci/run)`);
    }
    dir = mkdtempSync(join(tmpdir(), 'soc-web-'));
    site(dir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port));
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i += 1) {
      if (
        await fetch(base).then(
          () => true,
          () => false,
        )
      ) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    newLines(0);
    t = await startApp();
  }, 30_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const attacks: [string, (cwd: string) => Promise<void>][] = [
    [
      'sqlmap',
      (cwd) =>
        run(
          'sqlmap',
          [
            '-u',
            `${base}/shop/item.html?id=1`,
            '--batch',
            '--flush-session',
            `--output-dir=${cwd}/sqlmap`,
            '--technique=BEUST',
            '--level=1',
            '--risk=1',
          ],
          60,
          cwd,
        ),
    ],
    [
      'wapiti',
      (cwd) =>
        run(
          'wapiti',
          [
            '-u',
            `${base}/`,
            '--flush-session',
            '-m',
            'exec,file,sql,xss,backup',
            '--max-scan-time',
            '40',
            '-f',
            'txt',
            '-o',
            `${cwd}/wapiti`,
          ],
          60,
          cwd,
        ),
    ],
    [
      'nmap',
      (cwd) =>
        run(
          'nmap',
          [
            '-n',
            '-Pn',
            '-sV',
            '--version-light',
            '-p',
            base.split(':')[2],
            '--script',
            'http-enum,http-shellshock,http-sql-injection,http-passwd',
            '127.0.0.1',
          ],
          60,
          cwd,
        ),
    ],
  ];

  it.each(attacks.map(([name, go], i) => ({ name, go, tool: i + 1 })))(
    '$name is blocked by its first 50 requests, in every format',
    async ({ go, tool }) => {
      await go(dir);
      const lines = newLines(tool);
      for (const [f, format] of FORMATS.entries()) {
        expect(lines[format].length).toBeGreaterThan(0);
        await ingest(lines[format].slice(0, FIRST));
        const actor = await request(t.server)
          .get(`/actors/${addressOf(tool, f)}`)
          .expect(200);
        expect({ format, action: actor.body.decision?.action }).toEqual({ format, action: 'block' });
        await ingest(lines[format].slice(FIRST));
      }
    },
    120_000,
  );

  it('a benign crawl with select and ; in its query strings is never flagged', async () => {
    await crawl(base);
    const lines = newLines(0);
    for (const [f, format] of FORMATS.entries()) {
      expect(lines[format].length).toBeGreaterThan(20);
      await ingest(lines[format]);
      const actor = await request(t.server)
        .get(`/actors/${addressOf(0, f)}`)
        .expect(200);
      expect({ format, decision: actor.body.decision ?? null }).toEqual({ format, decision: null });
    }
  }, 60_000);
});
