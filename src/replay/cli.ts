import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { requireWithCodeCache } from './code-cache';

/**
 * `npm run replay`: runs the replay from its bundle (one file, built by `npm run build:replay`
 * from the compiled sources) through V8's code cache, which together take most of Node's
 * start-up off a short log's replay. Without a bundle it runs the compiled sources as they are.
 */
async function run(): Promise<void> {
  const bundle = join(__dirname, 'bundle.js');
  if (!existsSync(bundle)) {
    await (await import('./main')).main();
    return;
  }
  const loaded = requireWithCodeCache(bundle);
  await (loaded.exports as typeof import('./main')).main();
  if (!process.exitCode) {
    // After a whole replay, so that the cache holds what a replay compiles; not after a usage
    // error, whose cache would be poor and then kept.
    loaded.saveCache();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
});
