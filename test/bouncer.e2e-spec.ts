import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BY } from './decision-fixtures';
import { sshFailures, startApp, TestApp } from './harness';

/** Debian's package, as CI installs it (.ci/run); the test fails, not skips, without it. */
const BOUNCER = '/usr/bin/crowdsec-custom-bouncer';
const KEY = 'real-bouncer-key-0123456789';
const WAIT_MS = 20_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `found` answers something, for at most `ms`. */
async function waitFor<T>(what: string, ms: number, found: () => T | undefined, log: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = found();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`no ${what} within ${ms} ms; bouncer output:\n${log()}`);
    }
    await sleep(200);
  }
}

/** Stops the bouncer: SIGTERM, then SIGKILL if it has not gone within 5 s. */
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}

describe('a real CrowdSec bouncer (crowdsec-custom-bouncer) against the LAPI routes', () => {
  let t: TestApp;
  let dir: string;
  let calls: string;
  let bouncer: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(BOUNCER)) {
      throw new Error(
        `${BOUNCER} is missing: apt-get install -y --no-install-recommends crowdsec-custom-bouncer (CI does)`,
      );
    }
    t = await startApp({ BOUNCER_API_KEYS: KEY });
    await t.app.listen(0, '127.0.0.1');
    const port = (t.server.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'soc-bouncer-'));
    calls = join(dir, 'calls.log');
    const script = join(dir, 'record.sh');
    // The bouncer runs `<bin_path> add|del <value> <seconds> <scenario> <decision json>`.
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\n`, { mode: 0o700 });
    const config = join(dir, 'bouncer.yaml');
    writeFileSync(
      config,
      [
        `bin_path: ${script}`,
        'feed_via_stdin: false',
        'total_retries: 0',
        `piddir: ${dir}`,
        'update_frequency: 1s',
        'cache_retention_duration: 10s',
        'daemonize: false',
        'log_mode: stdout',
        'log_level: info',
        `api_url: http://127.0.0.1:${port}/`,
        `api_key: ${KEY}`,
        'prometheus:',
        '  enabled: false',
        '  listen_addr: 127.0.0.1',
        '  listen_port: 0',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    // No proxy variables: the bouncer talks to loopback only.
    bouncer = spawn(BOUNCER, ['-c', config], {
      env: { PATH: '/usr/bin:/bin', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bouncer.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    bouncer.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  }, 30_000);

  afterAll(async () => {
    await stop(bouncer);
    await t?.close();
    if (dir !== undefined) {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15_000);

  const recorded = (prefix: string): string | undefined =>
    (existsSync(calls) ? readFileSync(calls, 'utf8') : '').split('\n').find((line) => line.startsWith(prefix));

  it('adds a brute forcer to the firewall script, and removes it when the block is revoked', async () => {
    await request(t.server).post('/ingest-log/batch').send(sshFailures('203.0.113.7', 5)).expect(202);
    const add = await waitFor(
      '"add 203.0.113.7"',
      WAIT_MS,
      () => recorded('add 203.0.113.7 '),
      () => output,
    );
    const [, , seconds, scenario, json] = add.split(' ');
    expect(Number(seconds)).toBeGreaterThan(500);
    expect(Number(seconds)).toBeLessThanOrEqual(600);
    expect(scenario).toBe('soc-triage/ssh-brute-force');
    expect(JSON.parse(json)).toMatchObject({ origin: 'soc-triage', scope: 'Ip', type: 'ban', value: '203.0.113.7' });

    const [block] = (await request(t.server).get('/decisions?action=block&value=203.0.113.7').expect(200)).body.items;
    await request(t.server)
      .delete(`/decisions/${block.id}`)
      .send({ reason: 'end-to-end test: lift the block', by: BY })
      .expect(200);
    const del = await waitFor(
      '"del 203.0.113.7"',
      WAIT_MS,
      () => recorded('del 203.0.113.7 '),
      () => output,
    );
    expect(JSON.parse(del.split(' ')[4])).toMatchObject({ id: JSON.parse(json).id, value: '203.0.113.7' });
    expect(bouncer?.exitCode).toBeNull();
  }, 60_000);
});
