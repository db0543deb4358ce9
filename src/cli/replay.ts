import { spawn } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CliError } from './client';
import { Io } from './output';
import { Progress, progressLine, summaryLine } from './progress';

/** The stderr line the replay writes per batch with SOC_REPLAY_PROGRESS=stderr (src/replay/command.ts). */
const PROGRESS = /^soc-replay-progress (\d+) (\d+)$/;
const PACKAGE_ROOT = join(__dirname, '..', '..');

/** Lines in a file (newlines, plus a last line without one), read as a stream. */
export async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) {
      lines += 1;
    }
    last = bytes.length > 0 ? bytes[bytes.length - 1] : last;
  }
  return last === 10 ? lines : lines + 1;
}

export interface Terminal {
  isTTY: boolean;
  columns: number;
  write(text: string): void;
}

/**
 * `npm run replay` with a progress bar: on a terminal, one line redrawn at most 10 times a
 * second (bar, percentage, lines/s, ETA); otherwise nothing until the end. The replay's report
 * goes to stdout as it wrote it (JSON with --json), and one plain summary line to stderr.
 */
export async function replayWithProgress(
  file: string,
  passThrough: string[],
  io: Io,
  terminal: Terminal,
): Promise<void> {
  try {
    if (!statSync(file).isFile()) {
      throw new Error('not a file');
    }
  } catch (error) {
    throw new CliError(`cannot replay ${file}: ${(error as Error).message}`);
  }
  const total = await countLines(file);
  const started = Date.now();
  const progress: Progress = { lines: 0, total, elapsedMs: 0 };
  let drawnAt = 0;
  const draw = (force: boolean): void => {
    progress.elapsedMs = Date.now() - started;
    if (terminal.isTTY && (force || Date.now() - drawnAt >= 100)) {
      drawnAt = Date.now();
      terminal.write(`\r${progressLine(progress, terminal.columns)}\u001b[K`);
    }
  };
  draw(true);
  const args = ['run', '-s', 'replay', '--', file, ...passThrough, ...(io.json ? ['--json'] : [])];
  const child = spawn('npm', args, {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, SOC_REPLAY_PROGRESS: 'stderr' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const report: string[] = [];
  const problems: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => report.push(chunk.toString('utf8')));
  createInterface({ input: child.stderr }).on('line', (line) => {
    const match = PROGRESS.exec(line);
    if (match === null) {
      problems.push(line);
      return;
    }
    progress.lines = Math.min(total, Number(match[1]));
    draw(false);
  });
  const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
  if (code !== 0) {
    if (terminal.isTTY) {
      terminal.write('\r\u001b[K');
    }
    throw new CliError(`the replay failed (exit ${code}): ${problems.join('\n') || 'no message'}`);
  }
  progress.lines = total;
  draw(true);
  if (terminal.isTTY) {
    terminal.write('\n');
  }
  problems.forEach((line) => io.err(line));
  io.out(report.join('').trimEnd());
  io.err(summaryLine(progress));
}
