/**
 * A real-shaped sshd auth.log for the forwarder tests: brute force from a few addresses
 * (invalid users, root, IPv6), legitimate logins with their PAM sessions, systemd-logind and
 * CRON lines, with about one line in five naming no address (`pam_unix(sshd:auth): check
 * pass; user unknown`, session lines, CRON). The messages are OpenSSH's and Linux-PAM's own
 * wording (auth2.c, auth.c, packet.c, pam_unix_auth.c, pam_unix_sess.c). Each line carries the
 * actor it names, or null.
 */
export interface AuthLine {
  line: string;
  /** The canonical address the line names, or null when it names none. */
  actor: string | null;
}

export const ATTACKERS = ['203.0.113.66', '198.51.100.23', '192.0.2.201', '2001:db8:0:7::66'] as const;
export const USERS = ['192.0.2.10', '192.0.2.11'] as const;
const NAMES = ['admin', 'oracle', 'test', 'ubuntu', 'postgres', 'git', 'ftpuser', 'pi', 'support', 'user1'];

/** `Dec  6 03:10:01` for `at` (UTC), as the traditional syslog header writes it. */
function stamp(at: number): string {
  const d = new Date(at);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
}

/**
 * `rounds` rounds of attempts (about 21 lines each; 12 rounds ≈ 250 lines, 95 ≈ 2,000), ending
 * shortly before `end`, in time order; deterministic for one `end`.
 */
export function authLog(rounds = 12, end = Date.now()): AuthLine[] {
  const out: { at: number; program: string; message: string; actor: string | null }[] = [];
  let pid = 4000;
  const push = (at: number, program: string, message: string, actor: string | null) =>
    out.push({ at, program, message, actor });
  // 36 s of attempts a round, the last logout a minute after its login.
  let at = end - rounds * 36_000 - 70_000;
  for (let round = 0; round < rounds; round += 1) {
    ATTACKERS.forEach((ip, k) => {
      const user = NAMES[(round + k) % NAMES.length];
      const port = 40000 + round * 10 + k;
      const sshd = `sshd[${(pid += 1)}]`;
      at += 9_000;
      if ((round + k) % 3 === 0) {
        push(at, sshd, `Failed password for root from ${ip} port ${port} ssh2`, ip);
        push(at + 900, sshd, `Connection closed by authenticating user root ${ip} port ${port} [preauth]`, ip);
        return;
      }
      push(at, sshd, `Invalid user ${user} from ${ip} port ${port}`, ip);
      push(at + 100, sshd, 'pam_unix(sshd:auth): check pass; user unknown', null);
      push(
        at + 110,
        sshd,
        `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`,
        ip,
      );
      push(at + 2000, sshd, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`, ip);
      push(at + 2100, sshd, `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`, ip);
      push(at + 2110, sshd, `Disconnected from invalid user ${user} ${ip} port ${port} [preauth]`, ip);
    });
    if (round % 4 === 1) {
      const ip = USERS[(round >> 2) % USERS.length];
      const user = ip === USERS[0] ? 'alice' : 'bob';
      const port = 50000 + round;
      const sshd = `sshd[${(pid += 1)}]`;
      const session = 100 + round;
      push(
        at + 3000,
        sshd,
        `Accepted publickey for ${user} from ${ip} port ${port} ssh2: ED25519 SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s`,
        ip,
      );
      push(at + 3010, sshd, `pam_unix(sshd:session): session opened for user ${user}(uid=1000) by (uid=0)`, null);
      push(at + 3020, 'systemd-logind[512]', `New session ${session} of user ${user}.`, null);
      push(at + 60_000, sshd, `Received disconnect from ${ip} port ${port}:11: disconnected by user`, ip);
      push(at + 60_010, sshd, `Disconnected from user ${user} ${ip} port ${port}`, ip);
      push(at + 60_020, sshd, `pam_unix(sshd:session): session closed for user ${user}`, null);
      push(at + 60_030, 'systemd-logind[512]', `Session ${session} logged out. Waiting for processes to exit.`, null);
    }
    if (round % 3 === 0) {
      const cron = `CRON[${(pid += 1)}]`;
      push(at + 4000, cron, 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', null);
      push(at + 4010, cron, '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)', null);
      push(at + 4020, cron, 'pam_unix(cron:session): session closed for user root', null);
    }
  }
  return out
    .sort((a, b) => a.at - b.at)
    .map(({ at: time, program, message, actor }) => ({
      line: `${stamp(time)} bastion-1 ${program}: ${message}`,
      actor,
    }));
}

/** How many lines each actor should have once every usable line is stored. */
export function expectedCounts(lines: AuthLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { actor } of lines) {
    if (actor !== null) {
      counts.set(actor, (counts.get(actor) ?? 0) + 1);
    }
  }
  return counts;
}

/** The message after the `host program[pid]: ` header, as a forwarder's $MSG holds it. */
export function messageOf(line: string): string {
  return line.replace(/^\S+ +\d+ \S+ \S+ [^:]+: /, '');
}
