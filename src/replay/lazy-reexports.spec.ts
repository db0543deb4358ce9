import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { lazyReexports, lazyReexportSource } from './lazy-reexports';

/** An index as TypeScript writes one that only re-exports (tslib's helpers inlined). */
const INDEX = `"use strict";
// -------------------------------------------------------------------------
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
__exportStar(require("./first"), exports);
__exportStar(require("./second/index"), exports);
//# sourceMappingURL=index.js.map
`;

/**
 * Runs `script` in a new Node process (its own module cache), with `loads()` the modules
 * loaded so far in order, and gives back what it printed as JSON.
 */
function inFreshNode(script: string): unknown {
  const prelude = 'globalThis.lazyReexportsLoads = []; const loads = () => [...globalThis.lazyReexportsLoads];\n';
  const out = spawnSync(process.execPath, ['-e', prelude + script], { encoding: 'utf8' });
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout);
}

describe('lazyReexports', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lazy-reexports-'));
    // Each module notes its load on the global object; both export `shared`.
    writeFileSync(join(dir, 'index.js'), INDEX);
    writeFileSync(
      join(dir, 'first.js'),
      "(globalThis.lazyReexportsLoads ??= []).push('first');\nexports.one = 1;\nexports.shared = 'first';\nexports.default = 'd';\n",
    );
    mkdirSync(join(dir, 'second'));
    writeFileSync(
      join(dir, 'second', 'index.js'),
      "(globalThis.lazyReexportsLoads ??= []).push('second');\nexports.two = () => 2;\nexports.shared = 'second';\n",
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The exports of `file` as read by a fresh process, and the loads each read caused. */
  const probe = (file: string) =>
    inFreshNode(`
      const index = require(${JSON.stringify(file)});
      const atLoad = loads();
      const keys = Object.keys(index).sort();
      const afterKeys = loads();
      const two = index.two();
      const afterTwo = loads();
      const values = { one: index.one, shared: index.shared, hasDefault: 'default' in index };
      process.stdout.write(JSON.stringify({ atLoad, keys, afterKeys, two, afterTwo, values, atEnd: loads() }));
    `);

  it('exports the same names and values, and loads a module when one of its names is first read', () => {
    const index = join(dir, 'index.js');
    const lazyFile = join(dir, 'lazy.js');
    writeFileSync(lazyFile, lazyReexportSource(index, readFileSync(index, 'utf8')) ?? 'null');
    const eager = probe(index) as Record<string, unknown>;
    expect(eager).toMatchObject({ atLoad: ['first', 'second'], keys: ['one', 'shared', 'two'] });
    expect(probe(lazyFile)).toEqual({
      atLoad: [],
      keys: eager.keys,
      afterKeys: [],
      two: 2,
      afterTwo: ['second'],
      values: eager.values,
      atEnd: ['second', 'first'],
    });
  });

  it('leaves any other module as it is, and says so when bundling', async () => {
    const other = join(dir, 'other.js');
    writeFileSync(other, `${INDEX}exports.extra = 1;\n`);
    expect(lazyReexportSource(other, readFileSync(other, 'utf8'))).toBeNull();
    const result = await build({
      entryPoints: [other],
      bundle: true,
      platform: 'node',
      write: false,
      logLevel: 'silent',
      plugins: [lazyReexports(/other\.js$/)],
    });
    expect(result.warnings.map((warning) => warning.text)).toEqual([
      expect.stringMatching(/other\.js is not only re-exports/),
    ]);
  });

  it('bundles the lazy index so that each module still loads on first use', async () => {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, "module.exports = require('./index');\n");
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      write: false,
      logLevel: 'silent',
      plugins: [lazyReexports(/lazy-reexports-[^/\\]+[\\/]index\.js$/)],
    });
    expect(result.warnings).toEqual([]);
    const bundle = join(dir, 'bundle.js');
    writeFileSync(bundle, result.outputFiles[0].text);
    expect(probe(bundle)).toMatchObject({ atLoad: [], afterTwo: ['second'], atEnd: ['second', 'first'] });
  });
});
