import request from 'supertest';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyslogService } from '../src/syslog/syslog.service';
import { eventually, INGEST_TOKEN, startApp, TestApp } from './harness';

/**
 * Real, unmodified forwarders from Debian's packages (syslog-ng and rsyslog, installed by
 * .ci/run), configured as the README shows, deliver sshd's lines: syslog-ng from a log file,
 * once through its http() destination as a Splunk HEC client and once as syslog over TCP;
 * rsyslog from a log file (imfile) and as the system logger (messages sent to its socket with
 * logger(1)). Loopback only; each forwarder is stopped after its case.
 */
const SYSLOG_NG = '/usr/sbin/syslog-ng';
/**
 * rsyslog and syslog-ng-core conflict as Debian packages (each is the system logger), so
 * .ci/run unpacks rsyslog's package into .ci/rsyslog instead of installing it; an installed
 * rsyslogd serves as well.
 */
function findRsyslogd(): { binary: string; modules: string[] } {
  const unpacked = join(__dirname, '..', '.ci', 'rsyslog');
  if (existsSync(join(unpacked, 'usr', 'sbin', 'rsyslogd'))) {
    const lib = join(unpacked, 'usr', 'lib');
    const arch = readdirSync(lib).find((name) => existsSync(join(lib, name, 'rsyslog', 'imfile.so')));
    return {
      binary: join(unpacked, 'usr', 'sbin', 'rsyslogd'),
      modules: arch === undefined ? [] : ['-M', join(lib, arch, 'rsyslog')],
    };
  }
  return { binary: '/usr/sbin/rsyslogd', modules: [] };
}
const RSYSLOGD = findRsyslogd();
const ATTACKER = '203.0.113.66';

/** sshd lines with syslog headers a few minutes old: 8 failures from the attacker, 4 good logins. */
function authLog(): string {
  const start = Date.now() - 10 * 60_000;
  const stamp = (i: number) => {
    const d = new Date(start + i * 15_000);
    const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const time = d.toISOString().slice(11, 19);
    return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${time}`;
  };
  const lines: string[] = [];
  for (let i = 0; i < 12; i += 1) {
    lines.push(
      i % 3 === 2
        ? `${stamp(i)} bastion-1 sshd[${900 + i}]: Accepted publickey for alice from 192.0.2.10 port ${50000 + i} ssh2: ED25519 SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG`
        : `${stamp(i)} bastion-1 sshd[${900 + i}]: Failed password for invalid user admin${i} from ${ATTACKER} port ${40000 + i} ssh2`,
    );
  }
  return lines.join('\n') + '\n';
}

function runSyslogNg(dir: string, destination: string): ChildProcess {
  const config = `@version: 3.35
options { keep-hostname(yes); use-dns(no); time-reopen(1); };
source s_auth { file("${join(dir, 'auth.log')}" follow-freq(1)); };
destination d_out { ${destination} };
log { source(s_auth); destination(d_out); };
`;
  writeFileSync(join(dir, 'syslog-ng.conf'), config);
  return spawn(
    SYSLOG_NG,
    [
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
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
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

/** All 12 lines arrived: the attacker's 8 failures (and its block), the user's 4 logins. */
async function expectAllDelivered(t: TestApp): Promise<void> {
  await eventually(async () => {
    const attacker = await request(t.server).get(`/actors/${ATTACKER}`).expect(200);
    expect(attacker.body.profile.eventCount).toBe(8);
    const user = await request(t.server).get('/actors/192.0.2.10').expect(200);
    expect(user.body.profile.eventCount).toBe(4);
    expect(attacker.body.decision).toMatchObject({ action: 'block', ruleId: 'ssh-brute-force' });
    expect(user.body.decision).toBeNull();
  }, 30_000);
}

describe('a real forwarder (syslog-ng) delivering a log file', () => {
  let t: TestApp;
  let dir: string;
  let forwarder: ChildProcess | undefined;
  let stderr = '';

  beforeAll(() => {
    expect(existsSync(SYSLOG_NG)).toBe(true);
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soc-fwd-'));
    writeFileSync(join(dir, 'auth.log'), authLog());
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SYSLOG_TCP_PORT: '0' });
    await t.app.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    if (forwarder) {
      await stop(forwarder);
    }
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('as a Splunk HEC client (http destination, Authorization: Splunk <token>)', async () => {
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    forwarder = runSyslogNg(
      dir,
      `http(url("http://127.0.0.1:${port}/services/collector/event") method("POST")
         headers("Authorization: Splunk ${INGEST_TOKEN}", "Content-Type: application/json")
         body('$(format-json --scope none host=$HOST sourcetype=linux_secure event=$MSG)')
         batch-lines(5) batch-timeout(200) delimiter("\\n"));`,
    );
    forwarder.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expectAllDelivered(t);
  }, 40_000);

  it('as syslog over TCP (network destination)', async () => {
    const port = t.app.get(SyslogService).addresses().tcp?.port as number;
    forwarder = runSyslogNg(dir, `network("127.0.0.1" port(${port}) transport("tcp"));`);
    forwarder.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expectAllDelivered(t);
  }, 40_000);

  afterAll(() => {
    if (stderr.includes('Error')) {
      console.log(stderr.slice(0, 2000));
    }
  });
});

/** rsyslogd in the foreground on `config`, with its state in `dir`. */
function runRsyslog(dir: string, config: string): ChildProcess {
  writeFileSync(join(dir, 'rsyslog.conf'), `global(workDirectory="${join(dir, 'work')}")\n${config}`);
  mkdirSync(join(dir, 'work'));
  return spawn(RSYSLOGD.binary, ['-n', ...RSYSLOGD.modules, '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

describe('a real forwarder (rsyslog) delivering sshd lines as syslog over TCP', () => {
  let t: TestApp;
  let dir: string;
  let forwarder: ChildProcess | undefined;
  let stderr = '';
  let port: number;

  beforeAll(() => {
    expect(existsSync(RSYSLOGD.binary)).toBe(true);
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soc-rsyslog-'));
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SYSLOG_TCP_PORT: '0' });
    port = t.app.get(SyslogService).addresses().tcp?.port as number;
  });
  afterEach(async () => {
    if (forwarder) {
      await stop(forwarder);
    }
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tailing a log file (imfile), each line sent as it is', async () => {
    writeFileSync(join(dir, 'auth.log'), authLog());
    forwarder = runRsyslog(
      dir,
      `module(load="imfile")
template(name="soc_line" type="string" string="%rawmsg%")
input(type="imfile" File="${join(dir, 'auth.log')}" Tag="auth" ruleset="to_soc")
ruleset(name="to_soc") {
  action(type="omfwd" Target="127.0.0.1" Port="${port}" Protocol="tcp" TCP_Framing="octet-counted" Template="soc_line")
}`,
    );
    forwarder.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expectAllDelivered(t);
  }, 40_000);

  it('as the system logger, forwarding auth and authpriv', async () => {
    const socket = join(dir, 'log');
    forwarder = runRsyslog(
      dir,
      `module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="${socket}")
auth,authpriv.* action(type="omfwd" Target="127.0.0.1" Port="${port}" Protocol="tcp" TCP_Framing="octet-counted")`,
    );
    forwarder.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await eventually(() => expect(existsSync(socket)).toBe(true), 10_000);
    // What sshd logs, through the socket as sshd would: the message without its syslog header.
    for (const line of authLog().trim().split('\n')) {
      const [, tag, message] = /^\S+ +\d+ \S+ \S+ (sshd\[\d+\]): (.*)$/.exec(line) ?? [];
      const sent = spawnSync('logger', ['-u', socket, '-p', 'authpriv.info', '-t', tag, message]);
      expect(sent.status).toBe(0);
    }
    // Another facility stays home.
    expect(spawnSync('logger', ['-u', socket, '-p', 'user.info', '-t', 'cron', `from ${ATTACKER}`]).status).toBe(0);
    await expectAllDelivered(t);
  }, 40_000);

  afterAll(() => {
    if (stderr.includes('error')) {
      console.log(stderr.slice(0, 2000));
    }
  });
});
