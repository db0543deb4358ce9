import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The real forwarders the e2e tests drive, from Debian's packages. An installed program is
 * used as it is. Otherwise, as root on a machine with apt, its packages are downloaded and
 * unpacked under .ci/ (never installed: rsyslog and syslog-ng-core conflict, each being the
 * system logger, and installing either would start a system service), and only the shared
 * libraries they depend on are installed. So `npm ci && npm run check` on a fresh clone gets
 * what it needs; where it cannot (not root, no apt), the tests say why and which command
 * provides it.
 */
export interface Program {
  binary: string;
  /** Extra arguments the unpacked copy needs (its module directory). */
  args: string[];
  env: NodeJS.ProcessEnv;
}

export type Found = { ok: true; program: Program } | { ok: false; reason: string };

const CI_DIR = join(__dirname, '..', '..', '.ci');

export function findSyslogNg(): Found {
  if (existsSync('/usr/sbin/syslog-ng') && existsSync('/usr/lib/syslog-ng/3.38/libhttp.so')) {
    return { ok: true, program: { binary: '/usr/sbin/syslog-ng', args: [], env: {} } };
  }
  const root = join(CI_DIR, 'syslog-ng');
  const unpacked = ensureUnpacked(['syslog-ng-core', 'syslog-ng-mod-http'], root);
  if (unpacked !== null) {
    return { ok: false, reason: `syslog-ng (with syslog-ng-mod-http) is not installed and ${unpacked}` };
  }
  const modules = readdirSync(join(root, 'usr', 'lib', 'syslog-ng'))
    .map((version) => join(root, 'usr', 'lib', 'syslog-ng', version))
    .find((dir) => existsSync(join(dir, 'libhttp.so')));
  return {
    ok: true,
    program: {
      binary: join(root, 'usr', 'sbin', 'syslog-ng'),
      args: modules === undefined ? [] : [`--module-path=${modules}`],
      env: { LD_LIBRARY_PATH: libraryPath(root) },
    },
  };
}

export function findRsyslogd(): Found {
  const root = join(CI_DIR, 'rsyslog');
  // .ci/run unpacks it there too; an installed rsyslogd serves as well.
  if (!existsSync(join(root, 'usr', 'sbin', 'rsyslogd'))) {
    if (existsSync('/usr/sbin/rsyslogd')) {
      return { ok: true, program: { binary: '/usr/sbin/rsyslogd', args: [], env: {} } };
    }
    const unpacked = ensureUnpacked(['rsyslog'], root);
    if (unpacked !== null) {
      return { ok: false, reason: `rsyslog is not installed and ${unpacked}` };
    }
  }
  const lib = join(root, 'usr', 'lib');
  const arch = readdirSync(lib).find((name) => existsSync(join(lib, name, 'rsyslog', 'imfile.so')));
  return {
    ok: true,
    program: {
      binary: join(root, 'usr', 'sbin', 'rsyslogd'),
      args: arch === undefined ? [] : ['-M', join(lib, arch, 'rsyslog')],
      env: {},
    },
  };
}

function libraryPath(root: string): string {
  const lib = join(root, 'usr', 'lib');
  // syslog-ng keeps its own shared libraries in /usr/lib/syslog-ng (its binary's RPATH).
  return readdirSync(lib)
    .filter((name) => name.endsWith('-linux-gnu') || name === 'syslog-ng')
    .map((name) => join(lib, name))
    .join(':');
}

/**
 * Unpacks `packages` into `root` unless a previous run did; returns null when done, else why
 * not. The unpacking goes to a temporary directory renamed into place, so two test files
 * racing for it never see half of it.
 */
function ensureUnpacked(packages: string[], root: string): string | null {
  const marker = join(root, '.unpacked');
  if (existsSync(marker)) {
    return null;
  }
  if (process.getuid?.() !== 0 || !hasCommand('apt-get') || !hasCommand('dpkg-deb')) {
    return `cannot be unpacked here (needs root, apt-get and dpkg-deb): run \`bash .ci/run\` as root, or \`apt-get download ${packages.join(' ')}\` and \`dpkg-deb -x\` each into ${root}`;
  }
  // Test files run in parallel workers: one unpacks, the others wait for it.
  const lock = join(CI_DIR, `.lock-${basename(root)}`);
  if (!acquire(lock)) {
    return `another process held ${lock} for ${LOCK_WAIT_MS / 1000} s`;
  }
  try {
    return existsSync(marker) ? null : unpack(packages, root, marker);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const LOCK_WAIT_MS = 300_000;

/** mkdir is atomic: the lock is the directory. One left by a killed run expires after 10 minutes. */
function acquire(lock: string): boolean {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const held = statSync(lock, { throwIfNoEntry: false });
    if (held !== undefined && Date.now() - held.mtimeMs > 600_000) {
      rmSync(lock, { recursive: true, force: true });
    } else if (Date.now() > deadline) {
      return false;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

function unpack(packages: string[], root: string, marker: string): string | null {
  const work = mkdtempSync(join(CI_DIR, '.unpack-'));
  try {
    if (!download(packages, work)) {
      return `apt-get download ${packages.join(' ')} failed`;
    }
    const debs = readdirSync(work).filter((name) => name.endsWith('.deb'));
    installLibraries(
      debs.map((deb) => join(work, deb)),
      packages,
    );
    const tree = join(work, 'tree');
    for (const deb of debs) {
      execFileSync('dpkg-deb', ['-x', join(work, deb), tree]);
    }
    execFileSync('touch', [join(tree, '.unpacked')]);
    rmSync(root, { recursive: true, force: true });
    renameSync(tree, root);
    return existsSync(marker) ? null : 'the unpacked tree has no marker';
  } catch (error) {
    return `unpacking failed: ${(error as Error).message.slice(0, 300)}`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Wait for another apt or dpkg to finish rather than fail on its lock. */
const APT_WAIT = ['-o', 'DPkg::Lock::Timeout=120'];

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

function download(packages: string[], dir: string): boolean {
  const run = () =>
    spawnSync('apt-get', ['download', '-qq', ...APT_WAIT, ...packages], { cwd: dir, stdio: 'ignore' }).status === 0;
  if (run()) {
    return true;
  }
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  return run();
}

/** The packages `debs` depend on, except each other: shared libraries, installed if missing. */
function installLibraries(debs: string[], own: string[]): void {
  const wanted = new Set<string>();
  for (const deb of debs) {
    const depends = execFileSync('dpkg-deb', ['-f', deb, 'Depends']).toString();
    for (const clause of depends.split(',')) {
      const name = clause.split('|')[0].trim().split(/[\s(]/)[0];
      if (name !== '' && !own.includes(name) && !isInstalled(name)) {
        wanted.add(name);
      }
    }
  }
  if (wanted.size > 0) {
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...APT_WAIT, ...wanted], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: 'ignore',
    });
  }
}

function isInstalled(name: string): boolean {
  const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', name]).stdout?.toString() ?? '';
  return status.includes('install ok installed');
}
