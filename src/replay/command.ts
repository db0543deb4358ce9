import type { Args } from './args';
import type { FileBatchSource } from './line-batches';
import { openReplayApp } from './replay-app';
import { Replayer } from './replay';
import { buildReport, formatReport } from './report';

/** Marks a progress line on stderr, for `soc replay` (src/cli/replay.ts) to read and draw. */
export const PROGRESS_PREFIX = 'soc-replay-progress';

/**
 * With SOC_REPLAY_PROGRESS=stderr (set by `soc replay`), a line `soc-replay-progress <lines
 * read> <events written>` on stderr after each write batch is submitted; otherwise nothing.
 */
function progressReporter(): ((lines: number, events: number) => void) | undefined {
  if (process.env.SOC_REPLAY_PROGRESS !== 'stderr') {
    return undefined;
  }
  return (lines, events) => {
    process.stderr.write(`${PROGRESS_PREFIX} ${lines} ${events}\n`);
  };
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
    const result = await new Replayer(app).batches(source, progressReporter());
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
