import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDatabasePath } from './database-path';

describe(prepareDatabasePath.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-dbpath-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing directories and returns an absolute path', () => {
    const file = prepareDatabasePath(join(dir, 'a', 'b', 'soc.sqlite'));
    expect(file).toBe(join(dir, 'a', 'b', 'soc.sqlite'));
  });

  it('keeps the in-memory database as is', () => {
    expect(prepareDatabasePath(':memory:')).toBe(':memory:');
  });

  it.each([
    {
      name: 'a symbolic link at the file',
      setup: (d: string) => symlinkSync('/etc/passwd', join(d, 'soc.sqlite')),
      error: /symbolic link/,
    },
    {
      name: 'a symbolic link at the WAL',
      setup: (d: string) => symlinkSync(join(d, 'elsewhere'), join(d, 'soc.sqlite-wal')),
      error: /symbolic link/,
    },
    {
      name: 'a directory at the file',
      setup: (d: string) => mkdirSync(join(d, 'soc.sqlite')),
      error: /not a regular file/,
    },
  ])('refuses $name', ({ setup, error }) => {
    setup(dir);
    expect(() => prepareDatabasePath(join(dir, 'soc.sqlite'))).toThrow(error);
  });

  it('accepts an existing regular file', () => {
    writeFileSync(join(dir, 'soc.sqlite'), '');
    expect(prepareDatabasePath(join(dir, 'soc.sqlite'))).toBe(join(dir, 'soc.sqlite'));
  });

  it.each([
    { name: 'a NUL byte', raw: 'data/so\0c.sqlite', error: /NUL/ },
    { name: 'a trailing slash', raw: 'data/', error: /directory/ },
  ])('rejects $name', ({ raw, error }) => {
    expect(() => prepareDatabasePath(raw)).toThrow(error);
  });
});
