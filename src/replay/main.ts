import { statSync } from 'node:fs';
import { isLineFormat, LINE_FORMATS, LineFormat } from '../ingest/parsers/detect';
import { batchFile } from './line-batches';
import { batchFileInWorker } from './parse-worker';
import { openReplayApp } from './replay-app';
import { Replayer } from './replay';
import { buildReport, formatReport } from './report';

/** From this size on, a log is parsed on a worker thread (measured: below it, the worker's start-up costs more than it saves). */
const WORKER_FROM_BYTES = 8 * 1024 * 1024;

const USAGE = `usage: npm run replay -- <file> [--format auto|syslog|${LINE_FORMATS.join('|')}] [--policy <file>]
       [--allowlist <cidrs>] [--now <ISO time>] [--batch <events>] [--span <seconds>] [--json]`;

interface Args {
  file: string;
  format?: LineFormat;
  policy?: string;
  allowlist?: string;
  now: Date;
  batch: number;
  span: number;
  json: boolean;
}

function formatOf(value: string): LineFormat | undefined {
  if (value === 'auto') {
    return undefined;
  }
  const format = value === 'syslog' ? 'syslog3164' : value;
  if (!isLineFormat(format)) {
    throw new Error(`unknown format "${value}"`);
  }
  return format;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${flag} must be a positive integer`);
  }
  return n;
}

export function parseArgs(argv: string[]): Args {
  const args: Partial<Args> & { now: Date; batch: number; span: number; json: boolean } = {
    now: new Date(),
    batch: 20_000,
    span: 600,
    json: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) {
        throw new Error(`${flag} needs a value`);
      }
      return next;
    };
    if (flag === '--json') {
      args.json = true;
    } else if (flag === '--format') {
      args.format = formatOf(value());
    } else if (flag === '--policy') {
      args.policy = value();
    } else if (flag === '--allowlist') {
      args.allowlist = value();
    } else if (flag === '--now') {
      args.now = new Date(value());
      if (Number.isNaN(args.now.getTime())) {
        throw new Error('--now must be an ISO 8601 time');
      }
    } else if (flag === '--batch') {
      args.batch = positive(value(), flag);
    } else if (flag === '--span') {
      args.span = positive(value(), flag);
    } else if (!flag.startsWith('--') && args.file === undefined) {
      args.file = flag;
    } else {
      throw new Error(`unknown argument ${flag}`);
    }
  }
  if (args.file === undefined) {
    throw new Error('no file given');
  }
  return args as Args;
}

/** The replay command: parses `process.argv`, writes the report to stdout, sets the exit code. */
export async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const settings: Record<string, string> = {};
  if (args.policy !== undefined) {
    settings.POLICY_FILE = args.policy;
  }
  if (args.allowlist !== undefined) {
    settings.ALLOWLIST_CIDRS = args.allowlist;
  }
  const options = { format: args.format, now: args.now, batchSize: args.batch, batchSpanSeconds: args.span };
  // A large log is parsed on a worker thread, which starts before the application boots; a
  // small one on this thread, where starting a worker would cost more than it saves.
  const source =
    statSync(args.file).size >= WORKER_FROM_BYTES
      ? batchFileInWorker(args.file, options)
      : batchFile(args.file, options);
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

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
