// The replay's two bundles, from the compiled sources in dist/ (tsc first: esbuild does not
// emit the decorator metadata NestJS's injection reads). `npm run build:replay` runs this.
//
//   dist/replay/main.bundle.js          the application and the replay (src/replay/main.ts)
//   dist/replay/parse-thread.bundle.js  the parse worker (src/replay/parse-thread.ts)
//
// src/replay/cli.ts runs them through V8's code cache (src/replay/code-cache.ts).
import { build } from 'esbuild';

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Whitespace only: class and function names stay as written (NestJS and TypeORM read them).
  minifyWhitespace: true,
  keepNames: true,
  logLevel: 'warning',
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
};

await build({ ...shared, entryPoints: ['dist/replay/main.js'], outfile: 'dist/replay/main.bundle.js' });
await build({
  ...shared,
  entryPoints: ['dist/replay/parse-thread.js'],
  outfile: 'dist/replay/parse-thread.bundle.js',
  // The worker validates parsed lines with the ingest DTOs, whose OpenAPI decorators only
  // describe the HTTP API; the real package would load NestJS on that thread for nothing
  // (measured: the worker is ready in about 50 ms instead of 90).
  alias: { '@nestjs/swagger': './dist/replay/openapi-stub.js' },
});
