import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteInstanceLock, StoreInUseError } from './sqlite-instance-lock';

describe(SqliteInstanceLock.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder of the same store, naming both files and PostgreSQL, until the first lets go', async () => {
    const store = join(dir, 'soc.sqlite');
    const first = await SqliteInstanceLock.acquire(store);
    expect(first?.lockFile).toBe(`${store}.instance-lock`);
    const refusal = await SqliteInstanceLock.acquire(store).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreInUseError);
    expect((refusal as Error).message).toContain(
      `${store} is in use by another process (it holds ${store}.instance-lock)`,
    );
    expect((refusal as Error).message).toMatch(/several instances on PostgreSQL/);
    await first?.release();
    await first?.release(); // twice is harmless
    const second = await SqliteInstanceLock.acquire(store);
    expect(second).not.toBeNull();
    await second?.release();
  });

  it('lets two stores be held at once', async () => {
    const locks = await Promise.all([join(dir, 'a.sqlite'), join(dir, 'b.sqlite')].map(SqliteInstanceLock.acquire));
    expect(locks.every((lock) => lock !== null)).toBe(true);
    for (const lock of locks) {
      await lock?.release();
    }
  });

  it('has nothing to hold for an in-memory database', async () => {
    expect(await SqliteInstanceLock.acquire(':memory:')).toBeNull();
  });

  it('refuses a symbolic link in place of the lock file', async () => {
    const store = join(dir, 'soc.sqlite');
    symlinkSync(join(dir, 'elsewhere'), `${store}.instance-lock`);
    await expect(SqliteInstanceLock.acquire(store)).rejects.toThrow(/instance-lock is a symbolic link/);
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
  });
});
