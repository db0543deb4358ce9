import { isLineFormat, LINE_FORMATS, LineFormat } from '../ingest/parsers/formats';
import type { BatchOptions } from './line-batches';

export const USAGE = `usage: npm run replay -- <file> [--format auto|syslog|${LINE_FORMATS.join('|')}] [--policy <file>]
       [--allowlist <cidrs>] [--now <ISO time>] [--batch <events>] [--span <seconds>] [--json] [--explain]`;

export interface Args {
  file: string;
  format?: LineFormat;
  policy?: string;
  allowlist?: string;
  now: Date;
  /** --now was given; otherwise the log's own end is `now` (log-end.ts). */
  nowGiven: boolean;
  batch: number;
  span: number;
  json: boolean;
  /** Print each line explained (as POST /explain does) instead of replaying. */
  explain: boolean;
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
  const args: Partial<Args> & Pick<Args, 'now' | 'nowGiven' | 'batch' | 'span' | 'json' | 'explain'> = {
    now: new Date(),
    nowGiven: false,
    batch: 20_000,
    span: 600,
    json: false,
    explain: false,
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
    } else if (flag === '--explain') {
      args.explain = true;
    } else if (flag === '--format') {
      args.format = formatOf(value());
    } else if (flag === '--policy') {
      args.policy = value();
    } else if (flag === '--allowlist') {
      args.allowlist = value();
    } else if (flag === '--now') {
      args.now = new Date(value());
      args.nowGiven = true;
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

/** The batching options the arguments ask for. */
export function batchOptions(args: Args): BatchOptions {
  return {
    format: args.format,
    now: args.now,
    nowFromLog: !args.nowGiven,
    batchSize: args.batch,
    batchSpanSeconds: args.span,
  };
}

/** The arguments, or null after printing the reason and the usage (exit code 2). */
export function argsOrUsage(argv: string[]): Args | null {
  try {
    return parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return null;
  }
}
