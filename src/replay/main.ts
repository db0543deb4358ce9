import { Args, argsOrUsage, batchOptions } from './args';
import type { FileBatchSource } from './line-batches';
import { batchFileInWorker, parsesInWorker } from './parse-worker';
import { openReplayApp } from './replay-app';
import { Replayer } from './replay';
import { buildReport, formatReport } from './report';

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
/**
 * Replays the file: boots the application, writes the source's batches, prints the report to
 * stdout. The source may already be running (a worker started before the application loaded);
 * it is closed at the end, as is the application.
 */
export async function replay(args: Args, source: FileBatchSource): Promise<void> {
  const settings: Record<string, string> = {};
  if (args.policy !== undefined) {
    settings.POLICY_FILE = args.policy;
  }
  if (args.allowlist !== undefined) {
    settings.ALLOWLIST_CIDRS = args.allowlist;
  }
  const app = await openReplayApp(settings).catch(async (error: unknown) => {
    await source.close();
    throw error;
  });
  try {
    const result = await new Replayer(app).batches(source);
    const report = buildReport(result, {
      file: args.file,
      format: args.format ?? 'auto',
      policy: `${app.policy.version} (${args.policy ?? 'policy/default.yaml'})`,
      writes: `writes of at most ${args.batch} events spanning at most ${args.span} s of event time`,
    });
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  } finally {
    await source.close();
    await app.close();
  }
}

/** The replay command from the compiled sources: parses `process.argv`, then replays. */
export async function main(): Promise<void> {
  const args = argsOrUsage(process.argv.slice(2));
  if (args !== null) {
    await replay(args, await sourceFor(args));
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
