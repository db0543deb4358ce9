import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntryPointRun, freePort, startEntryPoint } from './entry-point';

/**
 * One process per SQLite store, between real processes (src/main.ts): a second start on the
 * same file is refused with the reason; after the first is killed with SIGKILL (no clean-up
 * of any kind), a new one starts.
 */

function start(dir: string, port: number): EntryPointRun {
  return startEntryPoint(dir, { DATABASE_PATH: join(dir, 'soc.sqlite'), PORT: String(port), LOG_LEVEL: 'warn' });
}

/** Waits until the process answers /health/ready with 200 (or exits, or 150 s pass). */
async function ready(run: EntryPointRun, port: number): Promise<boolean> {
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
