import request from 'supertest';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

/**
 * Actors without an address (issue 13 items 4 and 6), through HTTP: host names where a log
 * names the client by name (PAM `rhost=`), and local failures (sudo, su). Both are kept, counted
 * and shown; a host name is blocked only with RESOLVE_HOSTNAMES=true, as its addresses (here
 * `localhost`, which /etc/hosts answers: no query leaves the machine); a local actor never is;
 * no bouncer feed or blocklist ever carries either key.
 */
const BOUNCER_KEY = 'bouncer-key-actors-0123456789';

/** Two sshd connections, each one PAM failure then `PAM 2 more`: six attempts from `host`. */
function pamFailuresFrom(host: string, minute = 0): string {
  return [4101, 4102]
    .flatMap((pid, i) => [
      `Nov 24 10:0${minute + i}:01 bastion sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${host}  user=root`,
      `Nov 24 10:0${minute + i}:09 bastion sshd[${pid}]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${host}  user=root`,
    ])
    .join('\n');
}

const SUDO_FAILURES = [
  'Nov 24 10:00:01 bastion sudo[4711]: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice',
  'Nov 24 10:00:09 bastion sudo[4711]:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
  'Nov 24 10:01:01 bastion sudo[4712]:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
  'Nov 24 10:02:01 bastion su[5150]: FAILED SU (to root) alice on pts/2',
].join('\n');

interface Decision {
  scope: string;
  value: string;
  action: string;
  reason: string;
}

async function ingest(t: TestApp, body: string) {
  return request(t.server)
    .post('/ingest-log/raw')
    .set('authorization', `Bearer ${INGEST_TOKEN}`)
    .set('content-type', 'text/plain')
    .send(body)
    .expect(202);
}

const admin = (t: TestApp, path: string) =>
  request(t.server).get(path).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);

async function feeds(t: TestApp): Promise<{ stream: string[]; blocklist: string }> {
  const stream = await request(t.server)
    .get('/v1/decisions/stream?startup=true')
    .set('X-Api-Key', BOUNCER_KEY)
    .expect(200);
  const bans = (stream.body as { new: { value: string }[] | null }).new ?? [];
  const blocklist = await admin(t, '/decisions/blocklist');
  return { stream: bans.map((ban) => ban.value), blocklist: blocklist.text };
}

function settings(extra: Record<string, string> = {}): Record<string, string> {
  return { SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN, BOUNCER_API_KEYS: BOUNCER_KEY, ...extra };
}

describe('actors without an address', () => {
  describe('RESOLVE_HOSTNAMES unset (no DNS)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp(settings());
    });
    afterAll(() => t.close());

    it('keys a host name, counts its attempts and alerts, never blocks, and no feed carries it', async () => {
      const res = await ingest(t, pamFailuresFrom('scanner.example.net'));
      expect(res.body.accepted).toBe(4);
      const actor = await admin(t, '/actors/Scanner.Example.NET');
      expect(actor.body.profile).toMatchObject({ ip: 'scanner.example.net', scope: 'hostname', authAttempts: 6 });
      expect(actor.body.decision).toMatchObject({
        scope: 'hostname',
        value: 'scanner.example.net',
        action: 'alert',
        reason: expect.stringContaining('RESOLVE_HOSTNAMES=true') as string,
      });
      const decisions = (await admin(t, '/decisions')).body.items as Decision[];
      expect(decisions.filter((d) => d.action === 'block')).toEqual([]);
      const named = (await admin(t, '/decisions?scope=hostname')).body.items as Decision[];
      expect(named.map((d) => d.value)).toEqual(['scanner.example.net']);
      const { stream, blocklist } = await feeds(t);
      expect(stream).toEqual([]);
      expect(blocklist).not.toContain('scanner');
    });

    it('keys sudo and su failures as a local actor: counted, alerted, never blocked', async () => {
      const res = await ingest(t, SUDO_FAILURES);
      expect(res.body.results.map((r: { actor?: string }) => r.actor)).toEqual(Array(4).fill('alice@bastion'));
      const actor = await admin(t, `/actors/${encodeURIComponent('alice@bastion')}`);
      expect(actor.body.profile).toMatchObject({ ip: 'alice@bastion', scope: 'local', authAttempts: 7 });
      expect(actor.body.decision).toMatchObject({
        scope: 'local',
        action: 'alert',
        reason: expect.stringContaining('a local account has no address to block') as string,
      });
      expect(actor.body.recentEvents).toHaveLength(4);
      const { stream, blocklist } = await feeds(t);
      expect(stream).toEqual([]);
      expect(blocklist).not.toContain('alice');
    });

    it('refuses a key that is none of address, host name or user@host, and 404s an unknown one', async () => {
      await request(t.server)
        .get(`/actors/${encodeURIComponent('a b@c')}`)
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .expect(400);
      await request(t.server)
        .get('/actors/never.example.org')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .expect(404);
    });
  });

  describe('RESOLVE_HOSTNAMES=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp(settings({ RESOLVE_HOSTNAMES: 'true' }));
    });
    afterAll(() => t.close());

    it('blocks a host name as the addresses it resolves to, once, with the name in the reason', async () => {
      await ingest(t, pamFailuresFrom('localhost'));
      const decisions = (await admin(t, '/decisions')).body.items as Decision[];
      const blocks = decisions.filter((d) => d.action === 'block');
      expect(blocks).toEqual([
        expect.objectContaining({
          scope: 'ip',
          value: '127.0.0.1',
          reason: expect.stringContaining('host name localhost resolves to 127.0.0.1') as string,
        }),
      ]);
      expect(decisions.filter((d) => d.value === 'localhost')).toEqual([
        expect.objectContaining({ scope: 'hostname', action: 'alert' }),
      ]);
      const { stream, blocklist } = await feeds(t);
      expect(stream).toEqual(['127.0.0.1']);
      expect(blocklist.trim()).toBe('127.0.0.1');

      // More failures from the name while its address is blocked decide nothing new.
      await ingest(t, pamFailuresFrom('localhost', 3));
      expect(((await admin(t, '/decisions')).body.items as Decision[]).length).toBe(decisions.length);
      const actor = await admin(t, '/actors/localhost');
      expect(actor.body.profile).toMatchObject({ scope: 'hostname', offenceCount: 1 });
      expect(actor.body.decision).toMatchObject({
        scope: 'hostname',
        action: 'alert',
        reason: expect.stringContaining('blocked as the addresses it resolves to: 127.0.0.1') as string,
      });
    });

    it('still never blocks a local actor', async () => {
      await ingest(t, SUDO_FAILURES);
      const local = await admin(t, '/actors/alice@bastion');
      expect(local.body.decision).toMatchObject({ scope: 'local', action: 'alert' });
      expect((await feeds(t)).stream).not.toContain('alice@bastion');
    });
  });
});
