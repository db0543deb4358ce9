import { Args, argsOrUsage, batchOptions } from './args';
import { replay } from './command';
import type { FileBatchSource } from './line-batches';
import { batchFileInWorker, parsesInWorker } from './parse-worker';

/**
 * Where the file's batches come from: a worker thread for a large log, this thread for a small
 * one (the parsers are then loaded here, for this thread).
 */
export async function sourceFor(args: Args): Promise<FileBatchSource> {
  if (parsesInWorker(args.file)) {
    return batchFileInWorker(args.file, batchOptions(args));
  }
  const { batchFile } = await import('./line-batches');
  return batchFile(args.file, batchOptions(args));
}

/** `npm run replay`: parses `process.argv`, then replays (from the service's own build). */
export async function main(): Promise<void> {
  const args = argsOrUsage(process.argv.slice(2));
  if (args?.explain === true) {
    (await import('./explain-file')).explainFile(args);
  } else if (args !== null) {
    await replay(args, await sourceFor(args));
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
