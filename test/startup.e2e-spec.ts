import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntryPointRun, freePort, startEntryPoint } from './entry-point';

/**
 * The real entry point (src/main.ts) as an operator starts it: the process must refuse to
 * start in production without credentials, or with one secret in two roles, and say which
 * variables are at fault without printing any value.
 */
const INGEST = 'startup-ingest-token-0123456789';
const ADMIN = 'startup-admin-token-0123456789';

function start(dir: string, env: Record<string, string>): EntryPointRun {
  return startEntryPoint(dir, { DATABASE_PATH: join(dir, 'soc.sqlite'), LOG_LEVEL: 'warn', ...env });
}

describe('start-up refusals (src/main.ts)', () => {
  let dir: string;
  const running: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-startup-'));
  });
  afterAll(() => {
    for (const child of running) {
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<{ name: string; env: Record<string, string>; message: RegExp }>([
    {
      name: 'production without any credential',
      env: { NODE_ENV: 'production' },
      message:
        /SOC_INGEST_TOKEN \/ SOC_INGEST_TOKENS: NODE_ENV=production needs an ingest token[\s\S]*SOC_ADMIN_TOKEN: NODE_ENV=production needs an admin token/,
    },
    {
      name: 'the same value for the ingest and admin tokens',
      env: { NODE_ENV: 'production', SOC_INGEST_TOKEN: INGEST, SOC_ADMIN_TOKEN: INGEST },
      message: /SOC_INGEST_TOKEN and SOC_ADMIN_TOKEN hold the same value/,
    },
  ])(
    'exits 1 on $name, naming variables and no value',
    async ({ env, message }) => {
      const run = start(dir, env);
      running.push(run.child);
      expect(await run.exit).toBe(1);
      expect(run.stderr()).toMatch(message);
      expect(run.stderr()).not.toContain(INGEST);
    },
    180_000,
  );

  it('starts in production with credentials, and the admin routes are closed to the anonymous', async () => {
    const port = await freePort();
    const run = start(dir, {
      NODE_ENV: 'production',
      PORT: String(port),
      SOC_INGEST_TOKENS: `edge:${INGEST}`,
      SOC_ADMIN_TOKEN: ADMIN,
    });
    running.push(run.child);
    const base = `http://127.0.0.1:${port}`;
    let health = 0;
    for (let attempt = 0; attempt < 1500 && health !== 200 && !run.exited(); attempt += 1) {
      health = await fetch(`${base}/health`).then(
        (res) => res.status,
        () => 0,
      );
      if (health !== 200) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect({ health, stderr: run.stderr() }).toEqual({ health: 200, stderr: expect.any(String) as string });
    const block = await fetch(`${base}/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: '203.0.113.9', action: 'block', reason: 'anonymous' }),
    });
    expect(block.status).toBe(401);
    run.child.kill('SIGTERM');
    await run.exit;
  }, 180_000);
});
