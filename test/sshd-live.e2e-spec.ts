import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';
import { freePort } from './entry-point';

/**
 * A real sshd on loopback, attacked by hydra, nmap's ssh scripts and sshpass while legitimate
 * users log in (scripts/capture-sshd-corpus.sh, QUICK=1: small counts, time limits), then what
 * sshd wrote fed to the service line by line through POST /ingest-log/raw, the live path:
 * every attacker is blocked, no legitimate user is. Needs root (a test user, a private mount
 * namespace for sshd's /dev/log) and the Debian packages .ci/run installs.
 */
const NEEDED = ['/usr/sbin/sshd', 'hydra', 'sshpass', 'nmap', 'syslog-ng', 'unshare', 'socat', 'useradd'];
const SCRIPT = join(__dirname, '..', 'scripts', 'capture-sshd-corpus.sh');

function missing(): string[] {
  const notFound = NEEDED.filter(
    (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status !== 0,
  );
  return process.getuid?.() === 0 ? notFound : [...notFound, 'root'];
}

const lacking = missing();
const suite = lacking.length === 0 ? describe : describe.skip;
if (lacking.length > 0) {
  // A skipped suite says why, so that a missing package is not mistaken for a pass.
  console.warn(`sshd live test skipped: needs ${lacking.join(', ')}`);
}

suite('a real sshd under attack, through the live ingest path', () => {
  let dir: string;
  let service: TestApp;
  let log: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soc-sshd-live-'));
    const out = join(dir, 'auth.log');
    const run = spawnSync('bash', [SCRIPT, out, String(await freePort())], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, QUICK: '1' },
      timeout: 240_000,
      killSignal: 'SIGKILL',
    });
    if (run.status !== 0 || !existsSync(out)) {
      throw new Error(`capture failed (${run.status ?? run.signal}): ${run.stderr.slice(-2000)}`);
    }
    log = readFileSync(out, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    service = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN });
    // One request per line, as a forwarder that sends each line as sshd writes it.
    for (const line of log) {
      await request(service.server)
        .post('/ingest-log/raw')
        .set('authorization', `Bearer ${INGEST_TOKEN}`)
        .set('content-type', 'text/plain')
        .send(line);
    }
  }, 300_000);

  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const blocklist = async (): Promise<string[]> => {
    const response = await request(service.server)
      .get('/decisions/blocklist')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    return response.text.split('\n').filter((line) => line !== '');
  };

  it('captured what sshd wrote about every client', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '127.0.0.9', '127.0.0.10', '127.0.0.11']) {
      expect(log.some((line) => line.includes(` ${address} port `))).toBe(true);
    }
  });

  it.each(['127.0.0.1', '::1', '127.0.0.2'])('blocks the attacker %s (hydra, nmap ssh-brute, sshpass)', async (ip) => {
    expect(await blocklist()).toContain(ip);
  });

  it.each(['127.0.0.9', '127.0.0.10', '127.0.0.11'])('never blocks the legitimate user at %s', async (ip) => {
    expect(await blocklist()).not.toContain(ip);
    const actor = await request(service.server).get(`/actors/${ip}`).set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(actor.status).toBe(200);
    expect(actor.body.profile.authAttempts).toBeLessThanOrEqual(1);
  });
});
