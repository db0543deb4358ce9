import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { argsOrUsage, batchOptions } from './args';
import { cacheFileFor, compilerFlagsFor, requireWithCodeCache, setCompilerFlags } from './code-cache';
import { batchFileInWorker } from './parse-worker';

/**
 * `npm run replay`: runs the replay from its bundle (one file, built by `npm run build:replay`
 * from the compiled sources) through V8's code cache, which together take most of Node's
 * start-up off a short log's replay. The parse worker starts first, so that it parses while the
 * bundle loads. Without a bundle it runs the compiled sources as they are.
 */
async function run(): Promise<void> {
  const bundle = join(__dirname, 'main.bundle.js');
  if (!existsSync(bundle)) {
    await (await import('./main')).main();
    return;
  }
  const args = argsOrUsage(process.argv.slice(2));
  if (args === null) {
    return;
  }
  if (args.explain) {
    (await import('./explain-file')).explainFile(args);
    return;
  }
  // A missing file stops here, with its reason, before anything starts.
  const flags = compilerFlagsFor(statSync(args.file).size);
  setCompilerFlags(flags);
  // The worker parses while this thread loads the bundle and boots the application: measured
  // faster than parsing here at every size, from 100 lines on.
  const source = batchFileInWorker(args.file, batchOptions(args), flags);
  let loaded: ReturnType<typeof requireWithCodeCache>;
  try {
    loaded = requireWithCodeCache(bundle, cacheFileFor(bundle, flags));
  } catch (error) {
    await source.close();
    throw error;
  }
  await (loaded.exports as typeof import('./command')).replay(args, source);
  if (!process.exitCode) {
    // After a whole replay, so that the cache holds what a replay compiles.
    loaded.saveCache();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
});
