import { Args, argsOrUsage, batchOptions } from './args';
import { replay } from './command';
import type { FileBatchSource } from './line-batches';
import { batchFileInWorker, parsesInWorker } from './parse-worker';

/**
 * Where the file's batches come from: a worker thread for a large log, this thread for a small
 * one. The parsers are loaded only here, for this thread: the bundled replay (cli.ts) always
 * parses on its worker, and its bundle does not run them.
 */
export async function sourceFor(args: Args): Promise<FileBatchSource> {
  if (parsesInWorker(args.file)) {
    return batchFileInWorker(args.file, batchOptions(args));
  }
  const { batchFile } = await import('./line-batches');
  return batchFile(args.file, batchOptions(args));
}

/** The replay command from the compiled sources: parses `process.argv`, then replays. */
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
