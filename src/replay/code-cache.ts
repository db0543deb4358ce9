import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

/**
 * A CommonJS file run through V8's code cache: the bytecode of every function the last run
 * compiled, so that the next run neither parses nor compiles them again (Python's `.pyc`, for
 * a JavaScript bundle). Node 22 has this built in (`module.enableCompileCache`); Node 20 does
 * not, and the v8-compile-cache package caches only what V8 compiles eagerly, before the code
 * runs, which is a small part of it.
 */
export interface CachedModule {
  exports: unknown;
  /** V8 took the cache: it was there, belonged to this very file and this Node, and fitted. */
  cacheUsed: boolean;
  /**
   * Stores the code compiled so far, for the next run, unless the cache was used as it is. Call
   * it once the work is done, so that it holds the functions the work needed. Never throws: a
   * cache that cannot be written (a read-only install) only costs the next run its speed.
   */
  saveCache(): boolean;
}

type Wrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

/** Header: "soc-code-cache", the file's stamp, the payload's CRC-32, then the payload. */
const MAGIC = 'soc-code-cache';

/**
 * What the cache was made from: this Node, this file's very text. A cache written for another
 * build, or by another Node, is not offered to V8 at all (V8 checks its own version and flags,
 * but of the source only its length).
 */
function stampOf(source: Buffer): string {
  return `${MAGIC} ${process.version} ${process.arch} ${source.length} ${crc32(source)}`;
}

/**
 * The cached payload if the cache belongs to `stamp` and is whole. V8 verifies a code cache's
 * checksum only in debug builds, so a cache damaged on disk is caught here, by its CRC.
 */
export function readCache(cacheFile: string, stamp: string): Buffer | null {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return null;
  }
  const newline = data.indexOf(10);
  if (newline < 0) {
    return null;
  }
  const [headStamp, crc] = splitHeader(data.subarray(0, newline).toString('latin1'));
  const payload = data.subarray(newline + 1);
  return headStamp === stamp && crc === crc32(payload) ? payload : null;
}

function splitHeader(header: string): [string, number] {
  const space = header.lastIndexOf(' ');
  return [header.slice(0, space), Number(header.slice(space + 1))];
}

/** Writes beside, then renames: a reader sees the old cache or the new one, never half of one. */
export function writeCache(cacheFile: string, stamp: string, payload: Buffer): boolean {
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    writeFileSync(partial, Buffer.concat([Buffer.from(`${stamp} ${crc32(payload)}\n`, 'latin1'), payload]));
    renameSync(partial, cacheFile);
    return true;
  } catch {
    try {
      unlinkSync(partial);
    } catch {
      // Never written.
    }
    return false;
  }
}

/**
 * Logs of a size in this band are replayed without V8's optimising compiler (TurboFan): their
 * functions stay in the interpreter and the baseline compiler (Sparkplug). There, optimising
 * costs more than it saves: TurboFan compiles on the same two cores the replay's threads need,
 * for code that is done before the optimised version pays off. Below the band, loading the
 * application is most of the run, and its hottest helpers gain from TurboFan; above it, the
 * writes and the parsing do.
 *
 * Measured with both settings, interleaved, on this repository's benchmark logs (sshd lines,
 * about 110 bytes each): 5 to 22 % less time from about 1,500 lines to 40,000 (the generated
 * auth.log) or 20,000 (OpenSSH_2k.log, where it is level at 20,000); 5 to 8 % more at 100 to
 * 1,000 lines, and 16 % more at 200,000.
 */
export const BASELINE_TIERS_BYTES = { from: 160 * 1024, below: 2 * 1024 * 1024 } as const;

/** The V8 flags a replay of a log of this size runs with (see BASELINE_TIERS_BYTES). */
export function compilerFlagsFor(logBytes: number): readonly string[] {
  const { from, below } = BASELINE_TIERS_BYTES;
  return logBytes >= from && logBytes < below ? ['--no-opt'] : [];
}

/**
 * Sets V8 flags for the whole process: this thread and every worker started after. Call it
 * before the code they concern has run.
 */
export function setCompilerFlags(flags: readonly string[]): void {
  for (const flag of flags) {
    setFlagsFromString(flag);
  }
}

/**
 * Where the code cache of `file` compiled under `flags` lives. V8 refuses a cache made under
 * other flags, so each set of flags has its own: replays of small and large logs, taking turns,
 * would otherwise each throw away the other's cache.
 */
export function cacheFileFor(file: string, flags: readonly string[] = []): string {
  return `${file}${flags.map((flag) => `.${flag.replace(/^-+/, '')}`).join('')}.v8cache`;
}

/**
 * Runs a CommonJS file as `require` would (its own `require` resolving from its folder, its
 * own `module.exports`), compiled with the code cache kept at `cacheFile`. The cache lives
 * beside the code it was made from and is as trustworthy as that folder: a shared temporary
 * directory would let another user plant code.
 */
export function requireWithCodeCache(file: string, cacheFile = cacheFileFor(file)): CachedModule {
  const source = readFileSync(file);
  const stamp = stampOf(source);
  const cached = readCache(cacheFile, stamp);
  // ASCII (as the replay's bundles are) is read as Latin-1: a copy, where UTF-8 must decode.
  const text = source.toString(isAscii(source) ? 'latin1' : 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {
    filename: file,
    cachedData: cached ?? undefined,
  });
  const cacheUsed = cached !== null && script.cachedDataRejected === false;
  const loaded = { exports: {} as unknown };
  (script.runInThisContext() as Wrapper).call(
    loaded.exports,
    loaded.exports,
    createRequire(file),
    loaded,
    file,
    dirname(file),
  );
  return {
    exports: loaded.exports,
    cacheUsed,
    saveCache: () => !cacheUsed && writeCache(cacheFile, stamp, script.createCachedData()),
  };
}
