import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Program } from './debian-programs';

/** syslog-ng in the foreground on a config of `body`, its state (persist, control socket) in `dir`. */
export function runSyslogNg(program: Program, dir: string, body: string): ChildProcess {
  writeFileSync(join(dir, 'syslog-ng.conf'), `@version: 3.35\n${body}\n`);
  return spawn(
    program.binary,
    [
      ...program.args,
      '-F',
      '--no-caps',
      '-f',
      join(dir, 'syslog-ng.conf'),
      '-R',
      join(dir, 'persist'),
      '-p',
      join(dir, 'pid'),
      '-c',
      join(dir, 'ctl'),
    ],
    // The log's stamps carry no zone: read them as UTC, as the tests write them.
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...program.env, TZ: 'UTC' } },
  );
}

/**
 * One destination's counters from `syslog-ng-ctl stats` (queued, dropped, processed,
 * written…), summed over its rows. syslog-ng-ctl talks to the control socket only, so the
 * installed one serves an unpacked syslog-ng as well; the unpacked one is preferred.
 */
export function syslogNgStats(program: Program, dir: string, destination: string): Record<string, number> {
  const ctl = program.binary.replace(/syslog-ng$/, 'syslog-ng-ctl');
  const out = spawnSync(ctl, ['stats', '-c', join(dir, 'ctl')], { env: { ...process.env, ...program.env } });
  const stats: Record<string, number> = {};
  for (const row of out.stdout?.toString().split('\n') ?? []) {
    const [source, id, , , type, value] = row.split(';');
    if (source?.startsWith('dst.') && id?.startsWith(`${destination}#`)) {
      stats[type] = (stats[type] ?? 0) + Number(value);
    }
  }
  return stats;
}

/** rsyslogd in the foreground on `config`, with its state in `dir`. */
export function runRsyslog(program: Program, dir: string, config: string): ChildProcess {
  writeFileSync(join(dir, 'rsyslog.conf'), `global(workDirectory="${join(dir, 'work')}")\n${config}`);
  mkdirSync(join(dir, 'work'));
  return spawn(program.binary, ['-n', ...program.args, '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...program.env, TZ: 'UTC' },
  });
}

/** SIGTERM, then SIGKILL after 5 seconds. */
export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The README's fenced code block that contains `marker`: the recipes tested are the README's own. */
export function readmeBlock(marker: string): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = readme.split('```').find((part, index) => index % 2 === 1 && part.includes(marker));
  if (block === undefined) {
    throw new Error(`README.md has no code block containing ${marker}`);
  }
  return block.replace(/^[a-z]*\n/, '');
}
