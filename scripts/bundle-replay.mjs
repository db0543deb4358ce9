// The replay's two bundles, from the compiled sources in dist/ (tsc first: esbuild does not
// emit the decorator metadata NestJS's injection reads). `npm run build:replay` runs this.
//
//   dist/replay/main.bundle.js          the application and the replay's main thread
//                                       (src/replay/command.ts), without the parsers
//   dist/replay/parse-thread.bundle.js  the parse worker (src/replay/parse-thread.ts)
//
// src/replay/cli.ts runs them through V8's code cache (src/replay/code-cache.ts).
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';

const compiled = createRequire(import.meta.url);
const { toAsciiSource } = compiled('../dist/replay/ascii-source.js');
// NestJS's loggers build their date format when first asked, not as they load (see the plugin).
const { lazyLoggerDates } = compiled('../dist/replay/lazy-logger-dates.js');
// class-validator's decorators load when first used, not all 114 with their index (see the plugin).
const { lazyReexports } = compiled('../dist/replay/lazy-reexports.js');

/**
 * The default policy's data, parsed here once (src/decision/policy-file.ts, BUILT_DEFAULT_POLICY):
 * a replay then reads policy/default.yaml's YAML only if the file has changed since.
 */
function builtDefaultPolicy() {
  const { parsePolicyData, readPolicy, policyTextSha256 } = compiled('../dist/decision/policy-file.js');
  const text = readFileSync(new URL('../policy/default.yaml', import.meta.url), 'utf8');
  const { data } = parsePolicyData(text, 'policy/default.yaml');
  if (readPolicy(data).policy === undefined || !isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data)) {
    throw new Error('policy/default.yaml is not a valid policy, or not plain JSON data once parsed');
  }
  // Defined as a string literal (the JSON text), which esbuild writes where it is used.
  return JSON.stringify(JSON.stringify({ sha256: policyTextSha256(text), data }));
}

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Whitespace only: class and function names stay as written (NestJS and TypeORM read them).
  minifyWhitespace: true,
  keepNames: true,
  logLevel: 'warning',
  write: false,
  plugins: [lazyLoggerDates, lazyReexports(/[\\/]class-validator[\\/]cjs[\\/]decorator[\\/]decorators\.js$/)],
  define: { BUILT_DEFAULT_POLICY: builtDefaultPolicy() },
  external: [
    'sqlite3', // a native addon, loaded from node_modules
    '@anthropic-ai/sdk', // never loaded by the replay (heuristic mode)
    'ts-node', // named only under the tests
    // Optional packages NestJS asks for inside try/catch; not installed.
    '@nestjs/microservices',
    '@nestjs/websockets',
    '@nestjs/platform-express',
    'class-transformer/storage',
  ],
  alias: {
    // The DTOs' OpenAPI decorators only describe the HTTP API, which the replay does not
    // serve; the real package would load much of NestJS's HTTP layer for nothing.
    '@nestjs/swagger': './dist/replay/openapi-stub.js',
    // class-validator's phone numbers, which nothing validates (see the stub).
    'libphonenumber-js/max': './dist/replay/phone-number-stub.js',
  },
};

/** Bundles `entry` into `outfile`, ASCII-only (src/replay/ascii-source.ts says why). */
async function bundle(entry, outfile) {
  const result = await build({ ...shared, entryPoints: [entry], outfile });
  for (const file of result.outputFiles) {
    writeFileSync(file.path, toAsciiSource(file.text));
  }
}

await bundle('dist/replay/command.js', 'dist/replay/main.bundle.js');
await bundle('dist/replay/parse-thread.js', 'dist/replay/parse-thread.bundle.js');

// The store each replay starts from a copy of, migrated once here (src/replay/command.ts).
const { writeMigratedStore } = compiled('../dist/memory/store.js');
await writeMigratedStore('dist/replay/migrated-store.sqlite');
