import { lstatSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Resolves DATABASE_PATH, creates its directory (owner-only) and refuses anything that would
 * make SQLite write somewhere other than where the operator said: a symbolic link at the file
 * or at its -wal/-shm/-journal companions, or a path that is not a regular file.
 */
export function prepareDatabasePath(raw: string): string {
  if (raw === ':memory:') {
    return raw;
  }
  if (raw.includes('\0')) {
    throw new Error('DATABASE_PATH: contains a NUL byte');
  }
  const file = resolve(raw);
  if (raw.endsWith('/') || raw.endsWith('\\')) {
    throw new Error(`DATABASE_PATH: ${file} names a directory, not a file`);
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  for (const candidate of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    const stat = lstatSync(candidate, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) {
      throw new Error(`DATABASE_PATH: ${candidate} is a symbolic link; refusing to follow it`);
    }
    if (stat !== undefined && !stat.isFile()) {
      throw new Error(`DATABASE_PATH: ${candidate} exists and is not a regular file`);
    }
  }
  return file;
}
