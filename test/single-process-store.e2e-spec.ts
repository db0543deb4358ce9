import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One process per SQLite store, between real processes (src/main.ts): a second start on the
 * same file is refused with the reason; after the first is killed with SIGKILL (no clean-up
 * of any kind), a new one starts.
 */
const MAIN = join(__dirname, '..', 'src', 'main.ts');

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
  exited: () => boolean;
}

function start(dir: string, port: number): Run {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), MAIN], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json'),
      DATABASE_PATH: join(dir, 'soc.sqlite'),
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  return { child, stderr: () => stderr, exit, exited: () => exited };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Waits until the process answers /health/ready with 200 (or exits, or 150 s pass). */
async function ready(run: Run, port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 1500 && !run.exited(); attempt += 1) {
    const status = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('one process per SQLite store (src/main.ts)', () => {
  let dir: string;
  const running: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-single-'));
  });
  afterAll(() => {
    for (const child of running) {
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process on the same file, and starts again after the first is SIGKILLed', async () => {
    const firstPort = await freePort();
    const first = start(dir, firstPort);
    running.push(first.child);
    expect(await ready(first, firstPort)).toBe(true);

    const second = start(dir, await freePort());
    running.push(second.child);
    expect(await second.exit).toBe(1);
    const store = join(dir, 'soc.sqlite');
    expect(second.stderr()).toContain(`DATABASE_PATH ${store} is in use by another process`);
    expect(second.stderr()).toMatch(/several instances on\s+PostgreSQL/);
    // Refused before the store opened: the first still serves.
    expect(await ready(first, firstPort)).toBe(true);

    first.child.kill('SIGKILL');
    await first.exit;
    const thirdPort = await freePort();
    const third = start(dir, thirdPort);
    running.push(third.child);
    expect(await ready(third, thirdPort)).toBe(true);
  }, 300_000);
});
