import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INGEST = 'log-test-ingest-token-5f2c9a';
const ADMIN = 'log-test-admin-token-8d41be';
const BOUNCER = 'log-test-bouncer-key-77aa01';
const WRONG = 'log-test-wrong-token-c0ffee';
const SECRETS = [INGEST, ADMIN, BOUNCER, WRONG];

interface Service {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** The real service (src/main.ts) in a child process on a free port, its stdout kept. */
async function startService(env: Record<string, string>): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'soc-log-'));
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: join(__dirname, '..'),
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      DATABASE_PATH: join(dir, 'soc.sqlite'),
      SOC_INGEST_TOKEN: INGEST,
      SOC_ADMIN_TOKEN: ADMIN,
      BOUNCER_API_KEYS: `edge:${BOUNCER}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /listening on (http:\/\/[0-9.]+:\d+)/.exec(out);
      if (found !== null) {
        clearInterval(timer);
        resolve(found[1]);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`service exited (${code}): ${out}`));
    });
  });
  return {
    url,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Requests with good and bad credentials of every kind. */
async function traffic(url: string): Promise<Response> {
  await fetch(`${url}/decisions`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  await fetch(`${url}/v1/decisions/stream`, { headers: { 'X-Api-Key': BOUNCER } });
  await fetch(`${url}/v1/decisions/stream`, { headers: { 'X-Api-Key': WRONG } });
  await fetch(`${url}/services/collector/event`, {
    method: 'POST',
    headers: { Authorization: `Splunk ${INGEST}` },
    body: JSON.stringify({ event: { source_ip: '203.0.113.5', message: 'x' } }),
  });
  await fetch(`${url}/services/collector/event`, {
    method: 'POST',
    headers: { Authorization: `Splunk ${WRONG}` },
    body: '{}',
  });
  await fetch(`${url}/ingest-log`, { method: 'POST', headers: { 'X-SOC-Token': WRONG }, body: '{}' });
  return fetch(`${url}/decisions`, { headers: { 'X-SOC-Admin-Token': WRONG, 'X-Request-Id': 'trace-42.a' } });
}

describe('logs', () => {
  describe('LOG_FORMAT=json', () => {
    let service: Service;
    let answer: Response;
    let lines: Record<string, unknown>[];
    beforeAll(async () => {
      service = await startService({ LOG_FORMAT: 'json' });
      answer = await traffic(service.url);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const text = service.output();
      lines = text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    }, 60_000);
    afterAll(() => service.stop());

    it('writes one JSON object a line, each with a UTC ISO time and a level name', () => {
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) {
        expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(line.level);
      }
      expect(lines.some((line) => line.context === 'Bootstrap' && String(line.msg).includes('listening'))).toBe(true);
    });

    it('logs each failed authentication with its request id, route, status and client, and no credential', () => {
      const refused = lines.filter((line) =>
        [401, 403].includes((line.res as { statusCode?: number })?.statusCode ?? 0),
      );
      const urls = refused.map((line) => (line.req as { url: string }).url);
      expect(urls).toEqual(
        expect.arrayContaining(['/v1/decisions/stream', '/services/collector/event', '/ingest-log', '/decisions']),
      );
      for (const line of refused) {
        expect(line.level).toBe('warn');
        expect((line.req as { id: string }).id).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
        expect((line.req as { remoteAddress: string }).remoteAddress).toBe('127.0.0.1');
      }
    });

    it('carries the client X-Request-Id into the log and the answer', () => {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('x-request-id')).toBe('trace-42.a');
      expect(lines.some((line) => (line.req as { id?: string } | undefined)?.id === 'trace-42.a')).toBe(true);
    });

    it('never writes a token or key, right or wrong', () => {
      for (const secret of SECRETS) {
        expect(service.output()).not.toContain(secret);
      }
    });
  });

  describe('LOG_FORMAT=text (default)', () => {
    let service: Service;
    beforeAll(async () => {
      service = await startService({});
      await traffic(service.url);
    }, 60_000);
    afterAll(() => service.stop());

    it('stamps lines with UTC ISO times, without colour codes when not on a terminal, and no credential', () => {
      const lines = service
        .output()
        .split('\n')
        .filter((line) => line.startsWith('[Nest]'));
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) {
        expect(line).toMatch(/ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
      }
      expect(service.output()).not.toContain('\u001b[');
      for (const secret of SECRETS) {
        expect(service.output()).not.toContain(secret);
      }
    });
  });
});
