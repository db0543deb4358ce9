import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import request from 'supertest';
import { storeDecision } from './decision-fixtures';
import { ADMIN_TOKEN, INGEST_TOKEN, sshFailures, startApp, TestApp } from './harness';

/**
 * The `soc` CLI end to end: src/cli/main.ts bundled by esbuild (the code bin/soc.js runs once
 * built), run as a real process against the real service on a temporary database.
 */
const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'cli-e2e', 'soc.js');

jest.setTimeout(60_000);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runProcess(command: string, args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('soc (operator CLI)', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  /** Runs the CLI as a process, asynchronously: the service answers it from this same process. */
  const soc = (args: string[], env: Record<string, string | undefined> = {}): Promise<Run> =>
    runProcess(process.execPath, [BUNDLE, ...args], {
      PATH: process.env.PATH,
      HOME: dir,
      SOC_URL: url,
      SOC_ADMIN_TOKEN: ADMIN_TOKEN,
      ...env,
    });

  beforeAll(async () => {
    buildSync({ entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', outfile: BUNDLE });
    dir = mkdtempSync(join(tmpdir(), 'soc-cli-'));
    t = await startApp({ SOC_ADMIN_TOKEN: ADMIN_TOKEN, SOC_INGEST_TOKEN: INGEST_TOKEN });
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
    await request(t.server)
      .post('/ingest-log/batch')
      .set('authorization', `Bearer ${INGEST_TOKEN}`)
      .send(sshFailures('203.0.113.77', 6, Date.now() - 60_000, 1))
      .expect(202);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('decisions', () => {
    it('lists what is in force as a table, and as JSON with --json', async () => {
      const human = await soc(['decisions', 'list', '--action', 'block']);
      expect(human).toMatchObject({ status: 0, stderr: '' });
      expect(human.stdout).toMatch(/^ID\s+VALUE\s+ACTION\s+STATUS\s+RULE/);
      expect(human.stdout).toMatch(/203\.0\.113\.77\s+block\s+active\s+ssh-brute-force/);
      const json = await soc(['--json', 'decisions', 'list', '--value', '::ffff:203.0.113.77']);
      const parsed = JSON.parse(json.stdout);
      expect(parsed.items.map((d: { action: string }) => d.action)).toContain('block');
      expect(parsed.items.every((d: { value: string }) => d.value === '203.0.113.77')).toBe(true);
    });

    it('adds a manual block, then deletes it with a reason, both in the audit trail', async () => {
      const added = await soc([
        '--json',
        'decisions',
        'add',
        '198.51.100.9',
        '--duration',
        '2h',
        '--reason',
        'cli test',
        '--by',
        'ops',
      ]);
      expect(added.status).toBe(0);
      const id = JSON.parse(added.stdout).decision.id as string;
      const deleted = await soc(['decisions', 'delete', id, '--reason', 'done testing', '--by', 'ops']);
      expect(deleted).toMatchObject({ status: 0 });
      expect(deleted.stdout).toBe(`revoked block on 198.51.100.9 (${id}), now revoked\n`);
      const audit = await request(t.server)
        .get(`/audit?decisionId=${id}`)
        .set('authorization', `Bearer ${ADMIN_TOKEN}`);
      expect(audit.body.items.map((a: { change: string; who: string }) => `${a.change} ${a.who}`)).toEqual([
        'revoked ops',
        'created ops',
      ]);
    });

    it.each([
      { change: 'approve', expected: 'approved block on 192.0.2.31', status: 'active' },
      { change: 'reject', expected: 'rejected block on 192.0.2.32', status: 'rejected' },
    ])('$change a pending decision', async ({ change, expected, status }) => {
      const value = change === 'approve' ? '192.0.2.31' : '192.0.2.32';
      const pending = await storeDecision(t, { value, status: 'pending', origin: 'llm', ruleId: 'verdict-high' });
      const out = await soc(['decisions', change, pending.id, '--reason', 'reviewed']);
      expect(out).toMatchObject({ status: 0, stderr: '' });
      expect(out.stdout).toContain(expected);
      expect(out.stdout).toContain(`now ${status}`);
    });

    it.each([
      {
        name: 'a missing reason',
        args: ['decisions', 'delete', '0193a4c2-7f00-7000-8000-00000000beef'],
        message: /--reason/,
      },
      { name: 'a bad address', args: ['decisions', 'add', 'not-an-ip', '--reason', 'x'], message: /400: .*not an IP/ },
      {
        name: 'an unknown id',
        args: ['decisions', 'approve', '0193a4c2-7f00-7000-8000-00000000beef', '--reason', 'x'],
        message: /404/,
      },
      { name: 'a bad action', args: ['decisions', 'list', '--action', 'nuke'], message: /Allowed choices/ },
    ])('refuses $name with a one-line reason and a non-zero exit', async ({ args, message }) => {
      const out = await soc(args);
      expect(out.status).not.toBe(0);
      expect(out.stderr).toMatch(message);
    });
  });

  it('shows an actor: what is in force, why, and its recent events', async () => {
    const out = await soc(['actor', '203.0.113.77']);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^203\.0\.113\.77: 6 events \(6 failures\)/);
    expect(out.stdout).toContain('in force: block by ssh-brute-force');
    expect(out.stdout).toMatch(/ssh_failed_password\s+failure\s+auth_failure/);
    const json = JSON.parse((await soc(['--json', 'actor', '203.0.113.77'])).stdout);
    expect(json.profile).toMatchObject({ ip: '203.0.113.77', eventCount: 6 });
    expect(await soc(['actor', '192.0.2.250'])).toMatchObject({
      status: 1,
      stderr: 'soc: 404: no events from 192.0.2.250\n',
    });
  });

  it('shows an actor without an address (a host name, user@host) with its scope', async () => {
    const lines = [
      'Nov 24 10:00:01 bastion sshd[4101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=scanner.example.net  user=root',
      'Nov 24 10:00:09 bastion sudo[4711]:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
    ];
    await request(t.server)
      .post('/ingest-log/raw')
      .set('authorization', `Bearer ${INGEST_TOKEN}`)
      .set('content-type', 'text/plain')
      .send(lines.join('\n'))
      .expect(202);
    expect((await soc(['actor', 'scanner.example.net'])).stdout).toMatch(
      /^scanner\.example\.net \(host name\): 1 events/,
    );
    expect((await soc(['actor', 'alice@bastion'])).stdout).toMatch(/^alice@bastion \(local account\): 1 events/);
  });

  describe('credentials', () => {
    it('says where the token should come from when there is none, and never prints a refused one', async () => {
      const none = await soc(['decisions', 'list'], { SOC_ADMIN_TOKEN: undefined });
      expect(none.status).toBe(3);
      expect(none.stderr).toContain('set SOC_ADMIN_TOKEN or put it in the config file');
      const wrong = await soc(['decisions', 'list'], { SOC_ADMIN_TOKEN: 'wrong-token-0123456789' });
      expect(wrong.status).toBe(3);
      expect(wrong.stderr).toContain('the admin token from SOC_ADMIN_TOKEN was refused');
      expect(wrong.stderr + wrong.stdout).not.toContain('wrong-token-0123456789');
    });

    it('reads url and token from a mode-600 config file, and refuses one others can read', async () => {
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({ url, token: ADMIN_TOKEN }));
      chmodSync(config, 0o600);
      const env = { SOC_ADMIN_TOKEN: undefined, SOC_URL: undefined, SOC_CONFIG: config };
      expect((await soc(['decisions', 'list'], env)).status).toBe(0);
      chmodSync(config, 0o644);
      const open = await soc(['decisions', 'list'], env);
      expect(open.status).toBe(1);
      expect(open.stderr).toContain('can be read by others (mode 644); chmod 600 it');
    });

    it('says so when the service cannot be reached', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const out = await soc(['decisions', 'list'], { SOC_URL: `http://127.0.0.1:${port}` });
      expect(out).toMatchObject({ status: 2, stderr: `soc: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)\n` });
    });
  });

  describe('explain (against a stand-in for POST /explain)', () => {
    let server: Server;
    let seen: { headers: IncomingMessage['headers']; body: string }[];
    let explainUrl: string;
    beforeAll(async () => {
      seen = [];
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          seen.push({ headers: req.headers, body });
          const answers = body
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map((line) =>
              line.startsWith('Failed')
                ? {
                    format: 'sshd',
                    actor: '203.0.113.5',
                    scope: 'ip',
                    time: '2026-11-24T10:00:00.000Z',
                    signals: ['auth_failure'],
                    matches: [
                      {
                        signal: 'auth_failure',
                        ruleId: 'sshd-failed-password',
                        field: 'message',
                        matched: 'Failed password\u001b[2J',
                      },
                    ],
                  }
                : { actor: null, reason: 'no source address' },
            );
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      explainUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends a file as text/plain with the admin token and shows each line with its rule and match', async () => {
      const file = join(dir, 'lines.log');
      writeFileSync(file, 'Failed password for root from 203.0.113.5 port 22 ssh2\nhello world\n');
      const out = await soc(['explain', file], { SOC_URL: explainUrl });
      expect(out).toMatchObject({ status: 0, stderr: '' });
      expect(seen.at(-1)?.headers).toMatchObject({
        'content-type': 'text/plain',
        authorization: `Bearer ${ADMIN_TOKEN}`,
      });
      expect(seen.at(-1)?.body).toBe('Failed password for root from 203.0.113.5 port 22 ssh2\nhello world\n');
      expect(out.stdout).toContain('format sshd, actor 203.0.113.5 (ip), time 2026-11-24T10:00:00.000Z');
      expect(out.stdout).toContain('auth_failure by rule sshd-failed-password on message: Failed password\\u{1b}[2J');
      expect(out.stdout).toContain('line 2: hello world\n  not stored: no source address');
      expect(out.stdout).not.toContain('\u001b');
    });

    it('takes a line as the argument, and prints the answer as is with --json', async () => {
      const out = await soc(['--json', 'explain', 'hello world'], { SOC_URL: explainUrl });
      expect(seen.at(-1)?.body).toBe('hello world');
      expect(JSON.parse(out.stdout)).toEqual([{ actor: null, reason: 'no source address' }]);
    });
  });

  describe('replay', () => {
    let log: string;
    beforeAll(() => {
      log = join(dir, 'auth.log');
      const lines = Array.from(
        { length: 3000 },
        (_, i) =>
          `Nov 24 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} bastion sshd[${1000 + i}]: Failed password for invalid user u${i} from 198.51.100.${i % 50} port ${40000 + i} ssh2`,
      );
      writeFileSync(log, `${lines.join('\n')}\n`);
    });

    it('prints the report and one plain summary line when piped, no bar', async () => {
      const out = await soc(['replay', log, '--batch', '300', '--now', '2026-11-24T12:00:00Z']);
      expect(out.status).toBe(0);
      expect(out.stdout).toContain('3000');
      expect(out.stderr).toMatch(/^replayed 3,000 lines in \d+\.\d s \([\d,]+ lines\/s\)\n$/);
      expect(out.stderr + out.stdout).not.toContain('\r');
      expect(out.stderr).not.toContain('soc-replay-progress');
    });

    it('passes --json on to the replay', async () => {
      const out = await soc(['--json', 'replay', log, '--now', '2026-11-24T12:00:00Z']);
      expect(JSON.parse(out.stdout)).toMatchObject({ summary: expect.objectContaining({ lines: 3000 }) });
    });

    it('draws a progress bar on a terminal (a pseudo-terminal from script(1))', async () => {
      const command = [process.execPath, BUNDLE, 'replay', log, '--batch', '200', '--now', '2026-11-24T12:00:00Z']
        .map((part) => `'${part}'`)
        .join(' ');
      const out = await runProcess('script', ['-qec', command, '/dev/null'], {
        PATH: process.env.PATH,
        SOC_URL: url,
        COLUMNS: '120',
      });
      expect(out.status).toBe(0);
      expect(out.stdout).toMatch(/\r\[[#-]{10,40}\]\s+0\.0%\s+0\/3,000 lines\s+0 lines\/s\s+ETA --:--/);
      expect(out.stdout).toMatch(/\r\[#{10,40}\] 100\.0% {2}3,000\/3,000 lines {2}[\d,]+ lines\/s {2}ETA 0:00/);
      expect(out.stdout).toMatch(/replayed 3,000 lines in/);
    });

    it('says why when the file is missing', async () => {
      const out = await soc(['replay', join(dir, 'nope.log')]);
      expect(out.status).toBe(1);
      expect(out.stderr).toMatch(/^soc: cannot replay .*nope\.log: ENOENT/);
    });
  });
});
