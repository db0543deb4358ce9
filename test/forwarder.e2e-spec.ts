import request from 'supertest';
import { ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyslogService } from '../src/syslog/syslog.service';
import { eventually, INGEST_TOKEN, startApp, TestApp } from './harness';
import { authLog, AuthLine, expectedCounts } from './forwarders/auth-log';
import { findRsyslogd, findSyslogNg } from './forwarders/debian-programs';
import { readmeBlock, runRsyslog, runSyslogNg, stop } from './forwarders/run';

/**
 * Real, unmodified forwarders from Debian's packages deliver a real-shaped sshd auth log (one
 * line in five naming no address) as syslog over TCP to the listener: syslog-ng from a log
 * file; rsyslog from a log file (imfile) and as the system logger (messages sent to its socket
 * with logger(1)), configured as the README shows. The HTTP forwarders are in
 * forwarder-http.e2e-spec.ts. Loopback only; each forwarder is stopped after its case.
 *
 * rsyslog over HTTP (omhttp) is not tested: Debian 12 builds rsyslog without omhttp and
 * packages no rsyslog-omhttp, and only Debian's packages are reachable here.
 */
const SYSLOG_NG = findSyslogNg();
const RSYSLOGD = findRsyslogd();
for (const found of [SYSLOG_NG, RSYSLOGD]) {
  if (!found.ok) {
    console.warn(`forwarder tests skipped: ${found.reason}`);
  }
}
const withSyslogNg = SYSLOG_NG.ok ? it : it.skip;
const withRsyslog = RSYSLOGD.ok ? it : it.skip;

/** Every line naming an actor is stored under it, no more and no fewer. */
async function expectAllDelivered(t: TestApp, lines: AuthLine[]): Promise<void> {
  await eventually(async () => {
    for (const [actor, count] of expectedCounts(lines)) {
      const view = await request(t.server).get(`/actors/${actor}`).expect(200);
      expect({ actor, stored: view.body.profile.eventCount }).toEqual({ actor, stored: count });
    }
  }, 30_000);
}

describe('real forwarders delivering sshd lines as syslog over TCP', () => {
  let t: TestApp;
  let dir: string;
  let port: number;
  let lines: AuthLine[];
  let forwarder: ChildProcess | undefined;
  let stderr = '';

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soc-fwd-'));
    lines = authLog();
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SYSLOG_TCP_PORT: '0' });
    port = t.app.get(SyslogService).addresses().tcp?.port as number;
  });
  afterEach(async () => {
    await stop(forwarder);
    forwarder = undefined;
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => {
    if (/error/i.test(stderr)) {
      console.log(stderr.slice(0, 2000));
    }
  });
  const collect = (child: ChildProcess) => child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  withSyslogNg(
    'syslog-ng, network destination as the README shows',
    async () => {
      writeFileSync(join(dir, 'auth.log'), lines.map((l) => l.line).join('\n') + '\n');
      const destination = readmeBlock('destination d_soc { network(').replace('port(5514)', `port(${port})`);
      forwarder = runSyslogNg(
        SYSLOG_NG.ok ? SYSLOG_NG.program : (undefined as never),
        dir,
        `options { keep-hostname(yes); use-dns(no); time-reopen(1); };
source s_auth { file("${join(dir, 'auth.log')}" follow-freq(1)); };
${destination}
log { source(s_auth); destination(d_soc); };`,
      );
      collect(forwarder);
      await expectAllDelivered(t, lines);
    },
    60_000,
  );

  withRsyslog(
    "rsyslog tailing a log file (imfile), the README's recipe",
    async () => {
      writeFileSync(join(dir, 'auth.log'), lines.map((l) => l.line).join('\n') + '\n');
      const recipe = readmeBlock('module(load="imfile")')
        .replace('/var/log/auth.log', join(dir, 'auth.log'))
        .replace('Port="5514"', `Port="${port}"`);
      forwarder = runRsyslog(RSYSLOGD.ok ? RSYSLOGD.program : (undefined as never), dir, recipe);
      collect(forwarder);
      await expectAllDelivered(t, lines);
    },
    60_000,
  );

  withRsyslog(
    'rsyslog as the system logger, forwarding auth and authpriv as the README shows',
    async () => {
      const socket = join(dir, 'log');
      const rule = readmeBlock('auth,authpriv.* action(').trim().replace('Port="5514"', `Port="${port}"`);
      forwarder = runRsyslog(
        RSYSLOGD.ok ? RSYSLOGD.program : (undefined as never),
        dir,
        `module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="${socket}")
${rule}`,
      );
      collect(forwarder);
      await eventually(() => expect(existsSync(socket)).toBe(true), 10_000);
      // What each program logs, through the socket as it would: the message without its syslog header.
      for (const { line } of lines) {
        const [, tag, message] = /^\S+ +\d+ \S+ \S+ ([^:]+): (.*)$/.exec(line) ?? [];
        const facility = tag.startsWith('CRON') ? 'cron.info' : 'authpriv.info';
        expect(spawnSync('logger', ['-u', socket, '-p', facility, '-t', tag, message]).status).toBe(0);
      }
      // Another facility stays home.
      expect(spawnSync('logger', ['-u', socket, '-p', 'user.info', '-t', 'app', 'from 203.0.113.99']).status).toBe(0);
      await expectAllDelivered(t, lines);
      await request(t.server).get('/actors/203.0.113.99').expect(404);
    },
    60_000,
  );
});
