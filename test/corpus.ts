import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The log corpus (test/corpus/<service>/): lines with their expectations beside them.
 *
 * - `<name>.cases.yaml`: one row per line, what POST /explain must say about it (the
 *   primary sources: messages as the programs' code writes them).
 * - `<name>.log` with `<name>.expect.yaml`: a log made by running the real programs, and what
 *   replaying it must decide per actor (blocked or not, attempts counted).
 */
export const CORPUS_DIR = join(__dirname, 'corpus');

export interface LineCase {
  line: string;
  actor: string | null;
  /** The actor's scope; default `ip`. */
  scope?: 'ip' | 'hostname' | 'local';
  reason?: string;
  rule?: string;
  signals?: string[];
  time?: string;
  attempt?: { role: string; count: number };
}

export interface CaseFile {
  file: string;
  service: string;
  now: string;
  cases: LineCase[];
}

export interface ActorExpectation {
  /** Blocked by a rule at some point of the replay; false: never blocked. */
  blocked: boolean;
  /** Authentication attempts counted for the actor (its profile's auth_failure count). */
  attempts?: number;
  /** A rule id that must have decided about it. */
  rule?: string;
}

export interface LogExpectation {
  file: string;
  log: string;
  /** How the log was made. */
  made: string;
  actors: Record<string, ActorExpectation>;
}

function servicesDirs(): string[] {
  return readdirSync(CORPUS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(CORPUS_DIR, entry.name));
}

function filesEnding(suffix: string): string[] {
  return servicesDirs().flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(suffix))
      .sort()
      .map((name) => join(dir, name)),
  );
}

export function loadCaseFiles(): CaseFile[] {
  return filesEnding('.cases.yaml').map((file) => ({
    file,
    ...(parse(readFileSync(file, 'utf8')) as Omit<CaseFile, 'file'>),
  }));
}

export function loadLogExpectations(): LogExpectation[] {
  return filesEnding('.expect.yaml').map((file) => {
    const data = parse(readFileSync(file, 'utf8')) as Omit<LogExpectation, 'file' | 'log'> & { log: string };
    return { ...data, file, log: join(file, '..', data.log) };
  });
}
