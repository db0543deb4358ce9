import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BASELINE_TIERS_BYTES,
  cacheFileFor,
  compilerFlagsFor,
  readCache,
  requireWithCodeCache,
  writeCache,
} from './code-cache';

/** A module with a function compiled only when called, as most of a bundle's are. */
const SOURCE = `
const path = require('node:path');
function lazily(n) { return n * 2; }
module.exports = { twice: lazily, base: path.basename(__filename), dir: __dirname, self: this === module.exports };
`;

interface Sample {
  twice(n: number): number;
  base: string;
  dir: string;
  self: boolean;
}

describe('requireWithCodeCache', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    file = join(dir, 'bundle.js');
    writeFileSync(file, SOURCE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function load(): { cacheUsed: boolean; saved: boolean; exports: Sample } {
    const loaded = requireWithCodeCache(file);
    const exports = loaded.exports as Sample;
    expect(exports.twice(21)).toBe(42);
    return { cacheUsed: loaded.cacheUsed, saved: loaded.saveCache(), exports };
  }

  it('runs the file as require would: its own require, __filename, __dirname and this', () => {
    const { exports } = load();
    expect(exports).toMatchObject({ base: 'bundle.js', dir, self: true });
  });

  it('reads a file with characters above ASCII as UTF-8, and an ASCII one as the same text', () => {
    writeFileSync(file, 'module.exports = { word: "Äpfel", mark: /^[А-Я]+$/.test("ПОРТ") };');
    expect(requireWithCodeCache(file).exports).toEqual({ word: 'Äpfel', mark: true });
    writeFileSync(file, 'module.exports = { word: "\\u00c4pfel", mark: /^[\\u0410-\\u042f]+$/.test("ПОРТ") };');
    expect(requireWithCodeCache(file).exports).toEqual({ word: 'Äpfel', mark: true });
  });

  it('writes the cache after the first run, uses it on the next, and does not write it again', () => {
    expect(load()).toMatchObject({ cacheUsed: false, saved: true });
    expect(load()).toMatchObject({ cacheUsed: true, saved: false });
    expect(readdirSync(dir).sort()).toEqual(['bundle.js', 'bundle.js.v8cache']);
  });

  // Each case changes something between a run that wrote the cache and the next run.
  const stale: [string, () => void][] = [
    ['the file changed, at the same length', () => writeFileSync(file, SOURCE.replace('n * 2', 'n + n'))],
    ['the file changed length', () => writeFileSync(file, `${SOURCE}\n// another build\n`)],
    [
      'the cache was damaged on disk',
      () => {
        const cache = readFileSync(`${file}.v8cache`);
        cache[cache.length - 10] ^= 0xff;
        writeFileSync(`${file}.v8cache`, cache);
      },
    ],
    [
      'the cache was cut short',
      () => writeFileSync(`${file}.v8cache`, readFileSync(`${file}.v8cache`).subarray(0, 100)),
    ],
    ['the cache is not one', () => writeFileSync(`${file}.v8cache`, 'not a cache')],
  ];
  it.each(stale)('does not use the cache when %s, and writes a fresh one', (_, change) => {
    load();
    change();
    expect(load()).toMatchObject({ cacheUsed: false, saved: true });
    expect(load()).toMatchObject({ cacheUsed: true, saved: false });
  });

  it('gives up on writing the cache quietly when the folder is read-only, and runs uncached', () => {
    if (process.getuid?.() === 0) {
      // root writes to read-only folders; a missing parent folder stands in for one.
      const loaded = requireWithCodeCache(file, join(dir, 'missing', 'bundle.js.v8cache'));
      expect((loaded.exports as Sample).twice(2)).toBe(4);
      expect(loaded.saveCache()).toBe(false);
      return;
    }
    chmodSync(dir, 0o555);
    try {
      expect(load()).toMatchObject({ cacheUsed: false, saved: false });
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('leaves no partial file behind when a write fails', () => {
    expect(writeCache(join(dir, 'missing', 'c.v8cache'), 'stamp', Buffer.from('x'))).toBe(false);
    expect(writeCache(join(dir, 'c.v8cache'), 'stamp', Buffer.from('payload'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['bundle.js', 'c.v8cache']);
    expect(readCache(join(dir, 'c.v8cache'), 'stamp')?.toString()).toBe('payload');
    expect(readCache(join(dir, 'c.v8cache'), 'another stamp')).toBeNull();
    expect(readCache(join(dir, 'absent.v8cache'), 'stamp')).toBeNull();
  });
});

describe(compilerFlagsFor.name, () => {
  const { from, below } = BASELINE_TIERS_BYTES;
  it.each([
    ['an empty log', 0, []],
    ['a log just under the band', from - 1, []],
    ['a log at the start of the band', from, ['--no-opt']],
    ['a log at the end of the band', below - 1, ['--no-opt']],
    ['a log just past the band', below, []],
    ['a log of a gigabyte', 1 << 30, []],
  ])('%s (%d bytes): %j', (_, bytes, flags) => {
    expect(compilerFlagsFor(bytes)).toEqual(flags);
  });
});

describe(cacheFileFor.name, () => {
  it.each([
    [[], '/opt/soc/main.bundle.js.v8cache'],
    [['--no-opt'], '/opt/soc/main.bundle.js.no-opt.v8cache'],
    [['--no-opt', '--max-lazy'], '/opt/soc/main.bundle.js.no-opt.max-lazy.v8cache'],
  ])('under %j: %s', (flags, cacheFile) => {
    expect(cacheFileFor('/opt/soc/main.bundle.js', flags)).toBe(cacheFile);
  });
});
