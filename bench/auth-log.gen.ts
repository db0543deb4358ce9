/**
 * Writes a realistic sshd auth.log (RFC 3164 lines, as rsyslog writes /var/log/auth.log) for
 * the replay benchmark. Deterministic: the same seed gives the same file. Nothing large is
 * committed; generate it when needed:
 *
 *   npx ts-node --transpile-only bench/auth-log.gen.ts [--lines 200000] [--seed 42] [--start 2026-11-23T00:00:00Z] > /tmp/auth.log
 *
 * What is in it, over about a day: fast brute forces (some coming back later), slow ones that
 * stay under 5 failures in 10 minutes, an IPv6 attacker rotating addresses inside one /64,
 * attackers spread over a few /24s, legitimate logins (with the odd typo), and the noise of a
 * real host (cron and logind sessions, sudo, disconnects, banner grabs).
 */
import { generatorArgs, MONTHS, seededRandom } from './generator';

const args = generatorArgs();
const TARGET = Number(args.get('lines') ?? 200_000);
const START = Date.parse(args.get('start') ?? '2026-11-23T00:00:00Z');
const DAY = 86_400_000;
const { random, int, pick } = seededRandom(Number(args.get('seed') ?? 42));

function stamp(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const time = d.toISOString().slice(11, 19);
  return `${MONTHS[d.getUTCMonth()]} ${day} ${time}`;
}

const USERS = [
  'root',
  'admin',
  'test',
  'user',
  'oracle',
  'postgres',
  'ubuntu',
  'git',
  'ftpuser',
  'pi',
  'guest',
  'deploy',
];
const STAFF = ['alice', 'bob', 'carol', 'dave'];
const lines: [number, string][] = [];
let pid = 10_000;
const emit = (ms: number, program: string, message: string): void => {
  lines.push([ms, `${stamp(ms)} bastion-1 ${program}: ${message}`]);
};
const sshd = (ms: number, message: string, p = pid): void => emit(ms, `sshd[${p}]`, message);

/** One failed attempt as sshd logs it: 1-3 lines, all naming the address. */
function failedAttempt(ms: number, ip: string): void {
  const p = ++pid;
  const port = int(1024, 65535);
  const user = pick(USERS);
  if (user !== 'root' && random() < 0.6) {
    sshd(ms, `Invalid user ${user} from ${ip} port ${port}`, p);
    sshd(ms + 1500, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`, p);
    sshd(ms + 1700, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`, p);
  } else if (random() < 0.15) {
    sshd(
      ms,
      `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`,
      p,
    );
    sshd(ms + 1800, `Failed password for ${user} from ${ip} port ${port} ssh2`, p);
  } else {
    sshd(ms, `Failed password for ${user} from ${ip} port ${port} ssh2`, p);
    if (random() < 0.3) {
      sshd(ms + 200, `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`, p);
    }
  }
}

function burst(start: number, ip: string, attempts: number, gapSeconds: [number, number], oneLine = false): number {
  let ms = start;
  for (let i = 0; i < attempts; i += 1) {
    if (oneLine) {
      sshd(ms, `Failed password for ${pick(USERS)} from ${ip} port ${int(1024, 65535)} ssh2`, ++pid);
    } else {
      failedAttempt(ms, ip);
    }
    ms += int(gapSeconds[0], gapSeconds[1]) * 1000;
  }
  return ms;
}

const v4 = (): string =>
  `${pick([45, 61, 80, 103, 141, 159, 185, 193, 218, 222])}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;

// Fast brute forces: 5-40 attempts 2-20 s apart; a third come back hours later.
for (let i = 0; i < 400; i += 1) {
  const ip = v4();
  const start = START + int(0, DAY - 3_600_000);
  const end = burst(start, ip, int(5, 40), [2, 20]);
  if (random() < 0.33) {
    burst(end + int(1800, 4 * 3600) * 1000, ip, int(5, 25), [2, 15]);
  }
}
// Slow brute forces: one failed password every 3-6 minutes, never 5 in 10 minutes.
for (let i = 0; i < 60; i += 1) {
  burst(START + int(0, DAY / 2), v4(), int(10, 60), [180, 360], true);
}
// Campaigns from a few /24s: several addresses of one network each brute-forcing.
for (let net = 0; net < 6; net += 1) {
  const prefix = `${pick([89, 92, 176, 194])}.${int(0, 255)}.${int(0, 255)}`;
  const start = START + int(0, DAY - 7_200_000);
  for (let host = 0; host < int(3, 8); host += 1) {
    burst(start + host * int(60, 600) * 1000, `${prefix}.${int(1, 254)}`, int(6, 20), [3, 12]);
  }
}
// Short tries: two invalid user names within a minute (sshd writes 3 lines for each).
for (let i = 0; i < 30; i += 1) {
  const ip = v4();
  const start = START + int(0, DAY - 3_600_000);
  const p = ++pid;
  for (const [offset, user] of [
    [0, pick(USERS.slice(1))],
    [int(5, 40) * 1000, pick(USERS.slice(1))],
  ] as const) {
    const port = int(1024, 65535);
    sshd(start + offset, `Invalid user ${user} from ${ip} port ${port}`, p);
    sshd(start + offset + 1500, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`, p);
    sshd(start + offset + 1700, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`, p);
  }
}
// IPv6 attackers: one rotates through its /64 (one attempt per address), one uses one address.
for (let i = 0; i < 4; i += 1) {
  const net = `2001:db8:${int(1, 0xffff).toString(16)}:${int(1, 0xffff).toString(16)}`;
  let ms = START + int(0, DAY - 3_600_000);
  for (let a = 0; a < int(20, 60); a += 1) {
    failedAttempt(
      ms,
      `${net}:${int(1, 0xffff).toString(16)}:${int(1, 0xffff).toString(16)}:${int(1, 0xffff).toString(16)}:${int(1, 0xffff).toString(16)}`,
    );
    ms += int(5, 30) * 1000;
  }
}
burst(START + int(0, DAY - 3_600_000), `2001:db8:beef:1::${int(1, 0xfff).toString(16)}`, 12, [3, 10]);

// Legitimate staff: logins from office addresses, the odd mistyped password first.
const OFFICE = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '2001:db8:cafe::10'];
function login(ms: number): void {
  const user = pick(STAFF);
  const ip = pick(OFFICE);
  const port = int(40000, 60000);
  const p = ++pid;
  if (random() < 0.1) {
    sshd(ms - 4000, `Failed password for ${user} from ${ip} port ${port} ssh2`, p);
  }
  sshd(
    ms,
    `Accepted ${pick(['publickey', 'password'])} for ${user} from ${ip} port ${port} ssh2${random() < 0.5 ? ': ED25519 SHA256:Vb0Tq3rYq2m8n0v9sF2c5o9pY8XnC0Qh6sHj1kD2fLw' : ''}`,
    p,
  );
  sshd(ms + 10, `pam_unix(sshd:session): session opened for user ${user}(uid=1000) by (uid=0)`, p);
  emit(ms + 30, 'systemd-logind[612]', `New session ${p} of user ${user}.`);
  if (random() < 0.3) {
    emit(
      ms + 60_000,
      'sudo',
      `${user} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/systemctl status nginx`,
    );
    emit(ms + 60_010, 'sudo', 'pam_unix(sudo:session): session opened for user root(uid=0) by ' + `${user}(uid=1000)`);
  }
  const end = ms + int(60, 7200) * 1000;
  sshd(end, `Received disconnect from ${ip} port ${port}:11: disconnected by user`, p);
  sshd(end + 5, `Disconnected from user ${user} ${ip} port ${port}`, p);
  sshd(end + 10, `pam_unix(sshd:session): session closed for user ${user}`, p);
}

// Fill to the target with logins and host noise, spread over the day.
while (lines.length < TARGET) {
  const ms = START + int(0, DAY);
  const kind = random();
  if (kind < 0.02) {
    login(ms);
  } else if (kind < 0.55) {
    const p = ++pid;
    emit(ms, `CRON[${p}]`, 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)');
    emit(ms + 400, `CRON[${p}]`, 'pam_unix(cron:session): session closed for user root');
  } else if (kind < 0.8) {
    const ip = v4();
    sshd(ms, `Connection closed by ${ip} port ${int(1024, 65535)} [preauth]`);
  } else if (kind < 0.9) {
    sshd(ms, `Received disconnect from ${v4()} port ${int(1024, 65535)}:11: Bye Bye [preauth]`);
  } else {
    emit(ms, 'systemd-logind[612]', `Session ${int(1, 99999)} logged out. Waiting for processes to exit.`);
  }
}

lines.sort((a, b) => a[0] - b[0]);
process.stdout.write(
  lines
    .slice(0, TARGET)
    .map(([, text]) => text)
    .join('\n') + '\n',
);
