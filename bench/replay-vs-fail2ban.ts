/**
 * The replay against fail2ban-regex on the same log: wall-clock time, CPU time (user + system,
 * every thread) and peak RSS of each (the fastest of --runs), and whether the addresses the replay blocks are those fail2ban's sshd jail would ban
 * at the same threshold (maxretry 5 within findtime 10m). When CrowdSec is installed, its
 * replay mode too, in the same run: its time and the addresses it alerted on.
 *
 *   npx ts-node --transpile-only bench/auth-log.gen.ts --lines 200000 > /tmp/auth.log
 *   npx ts-node --transpile-only bench/replay-vs-fail2ban.ts /tmp/auth.log [--runs 3] [--mode normal|aggressive]
 *
 * An access log against one of fail2ban's web filters (the ban comparison then counts that
 * filter's matches as failures):
 *
 *   npx ts-node --transpile-only bench/access-log.gen.ts --lines 1000000 > /tmp/access.log
 *   npx ts-node --transpile-only bench/replay-vs-fail2ban.ts /tmp/access.log --filter /etc/fail2ban/filter.d/apache-badbots.conf
 *
 * Needs fail2ban-regex (Debian: apt-get install --no-install-recommends fail2ban). fail2ban-regex
 * only matches lines; the ban set is computed here from its failures (`-o row`: address and
 * time of each failure), with fail2ban's rule: an address with maxretry failures within findtime.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
if (file === undefined) {
  throw new Error('usage: replay-vs-fail2ban.ts <log> [--runs 3] [--mode normal] [--filter <fail2ban filter>]');
}
const RUNS = Number(option('runs', '3'));
const MODE = option('mode', 'normal');
const MAXRETRY = 5;
const FINDTIME_MS = 600_000;

interface Timed {
  /** Wall-clock seconds, best of RUNS. */
  seconds: number;
  /** User + system CPU seconds of that best run (every thread). */
  cpuSeconds: number;
  /** Peak resident set of that run, MiB. */
  maxRssMiB: number;
  stdout: string;
}

/** Runs `command` RUNS times under GNU time; keeps the fastest run's wall, CPU and peak RSS. */
function timed(command: string, argv: string[]): Timed {
  let best: Timed | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  try {
    const measures = join(dir, 'time');
    for (let run = 0; run < RUNS; run += 1) {
      const result = spawnSync('/usr/bin/time', ['-o', measures, '-f', '%e %U %S %M', command, ...argv], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      if (result.status !== 0) {
        throw new Error(`${command} failed: ${result.stderr}`);
      }
      const [wall, user, system, rssKiB] = readFileSync(measures, 'utf8')
        .trim()
        .split('\n')
        .pop()!
        .split(' ')
        .map(Number);
      if (best === null || wall < best.seconds) {
        best = {
          seconds: wall,
          cpuSeconds: user + system,
          maxRssMiB: Math.round(rssKiB / 1024),
          stdout: result.stdout,
        };
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return best as Timed;
}

if (spawnSync('fail2ban-regex', ['--version'], { stdio: 'ignore' }).status !== 0) {
  // The yardstick is Debian's own package. policy-rc.d keeps its service from starting.
  throw new Error('fail2ban-regex is not installed: apt-get install -y --no-install-recommends fail2ban');
}
const filter = option('filter', `/etc/fail2ban/filter.d/sshd.conf[mode=${MODE}]`);
const f2bArgs = ['-r', '-o', 'row', file, filter];
const f2bPlain = timed('fail2ban-regex', ['-r', file, filter]);
const f2b = timed('fail2ban-regex', f2bArgs);
// `npm run replay` builds the service (tsc, incrementally) and then runs exactly this; the
// build is not timed, as installing fail2ban (its Python bytecode) is not.
const build = spawnSync('npm', ['run', '-s', 'build:service'], { stdio: 'inherit' });
if (build.status !== 0) {
  throw new Error('the build failed');
}
const replayArgs = ['dist/replay/main.js', file, '--json'];
const replay = timed(process.execPath, replayArgs);

/**
 * CrowdSec's replay mode on the same file, when crowdsec is installed (bench/crowdsec-replay.sh
 * says how): its time (one run: it is slow) and the addresses its ssh scenarios alerted on.
 */
function crowdsec(): { seconds: number; alerted: Set<string> } | null {
  if (spawnSync('crowdsec', ['-version'], { stdio: 'ignore' }).status !== 0) {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'crowdsec-ips-'));
  try {
    const ips = join(dir, 'ips');
    const run = spawnSync('bash', [join(__dirname, 'crowdsec-replay.sh'), file as string], {
      encoding: 'utf8',
      env: { ...process.env, CROWDSEC_IPS: ips },
    });
    const seconds = /: ([\d.]+) s$/m.exec(run.stdout);
    if (run.status !== 0 || seconds === null) {
      throw new Error(`crowdsec-replay.sh failed: ${run.stderr}`);
    }
    return { seconds: Number(seconds[1]), alerted: new Set(readFileSync(ips, 'utf8').split('\n').filter(Boolean)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const crowdsecRun = crowdsec();

/** fail2ban's jail: an address is banned once it has MAXRETRY failures within FINDTIME. */
const failures = new Map<string, number[]>();
for (const line of f2b.stdout.split('\n')) {
  const match = /^\['([^']+)',\s+([\d.]+),/.exec(line);
  if (match !== null) {
    failures.set(match[1], [...(failures.get(match[1]) ?? []), Number(match[2]) * 1000]);
  }
}
const banned = new Set<string>();
for (const [ip, times] of failures) {
  times.sort((a, b) => a - b);
  for (let end = MAXRETRY - 1; end < times.length; end += 1) {
    if (times[end] - times[end - MAXRETRY + 1] <= FINDTIME_MS) {
      banned.add(ip);
      break;
    }
  }
}

interface Report {
  summary: Record<string, unknown>;
  actors: { value: string; scope: string; decisions: { action: string; status: string; ruleId: string }[] }[];
}
const report = JSON.parse(replay.stdout) as Report;
const blockedIps = new Set<string>();
const blockedRanges: { cidr: string; rule: string }[] = [];
for (const actor of report.actors) {
  const block = actor.decisions.find((d) => d.action === 'block' && d.status === 'active');
  if (block !== undefined) {
    if (actor.scope === 'ip') {
      blockedIps.add(actor.value);
    } else {
      blockedRanges.push({ cidr: actor.value, rule: block.ruleId });
    }
  }
}

/** Covered by a blocked range: same /64 (IPv6) or /24 (IPv4) prefix text, as the default policy uses. */
function coveringRange(ip: string): string | undefined {
  return blockedRanges.find(({ cidr }) => {
    const [net, prefix] = cidr.split('/');
    if (isIPv6(ip) !== isIPv6(net)) {
      return false;
    }
    if (!isIPv6(ip)) {
      return (
        ip
          .split('.')
          .slice(0, Number(prefix) / 8)
          .join('.') ===
        net
          .split('.')
          .slice(0, Number(prefix) / 8)
          .join('.')
      );
    }
    return ip.startsWith(net.replace(/::$/, ':')) || ip.startsWith(net.replace(/::$/, ''));
  })?.cidr;
}

const onlyFail2ban = [...banned].filter((ip) => !blockedIps.has(ip) && coveringRange(ip) === undefined);
const onlyReplay = [...blockedIps].filter((ip) => !banned.has(ip));
const both = [...banned].filter((ip) => blockedIps.has(ip) || coveringRange(ip) !== undefined);

const out = {
  file,
  lines: report.summary.lines,
  fail2banRegex: {
    command: `fail2ban-regex ${['-r', file, filter].join(' ')}`,
    seconds: Math.round(f2bPlain.seconds * 100) / 100,
    cpuSeconds: Math.round(f2bPlain.cpuSeconds * 100) / 100,
    maxRssMiB: f2bPlain.maxRssMiB,
    secondsWithRowOutput: Math.round(f2b.seconds * 100) / 100,
    failures: [...failures.values()].reduce((n, t) => n + t.length, 0),
    bannedAddresses: banned.size,
  },
  replay: {
    command: `node ${replayArgs.join(' ')}`,
    seconds: Math.round(replay.seconds * 100) / 100,
    cpuSeconds: Math.round(replay.cpuSeconds * 100) / 100,
    maxRssMiB: replay.maxRssMiB,
    insideSeconds: report.summary.seconds,
    blockedAddresses: blockedIps.size,
    blockedRanges: blockedRanges.map((r) => `${r.cidr} (${r.rule})`),
    decisions: report.summary.decisions,
  },
  ratio: {
    wall: `fail2ban-regex takes ${(f2bPlain.seconds / replay.seconds).toFixed(2)}x the replay's wall time`,
    cpu: `fail2ban-regex takes ${(f2bPlain.cpuSeconds / replay.cpuSeconds).toFixed(2)}x the replay's CPU time`,
    memory: `the replay's peak RSS is ${(replay.maxRssMiB / f2bPlain.maxRssMiB).toFixed(2)}x fail2ban-regex's`,
  },
  crowdsec:
    crowdsecRun === null
      ? 'not installed (see bench/crowdsec-replay.sh)'
      : {
          command: `bash bench/crowdsec-replay.sh ${file}`,
          seconds: Math.round(crowdsecRun.seconds * 100) / 100,
          ratio: `replay takes ${(replay.seconds / crowdsecRun.seconds).toFixed(2)}x the time of CrowdSec`,
          alertedAddresses: crowdsecRun.alerted.size,
          alertedAndBlocked: [...crowdsecRun.alerted].filter(
            (ip) => blockedIps.has(ip) || coveringRange(ip) !== undefined,
          ).length,
          onlyCrowdsec: [...crowdsecRun.alerted].filter((ip) => !blockedIps.has(ip) && coveringRange(ip) === undefined),
          onlyReplay: [...blockedIps].filter((ip) => !crowdsecRun.alerted.has(ip)).length,
        },
  agreement: {
    both: both.length,
    onlyFail2ban,
    onlyReplay: onlyReplay.length,
    onlyReplaySample: onlyReplay.slice(0, 10),
  },
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
