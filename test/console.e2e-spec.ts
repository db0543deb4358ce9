import request from 'supertest';
import { ADMIN_TOKEN, INGEST_TOKEN, sshFailures, startApp, TestApp } from './harness';
import { consoleSignIn, ConsoleLogin } from './console-session';

const HOSTILE_UA = '"><img src=x onerror=alert(1)>';
const HOSTILE_MESSAGE =
  'Failed password for <script>alert(document.cookie)</script> from 192.0.2.66 port 22 ssh2\u001b[31m';

async function ingest(t: TestApp, events: object[]): Promise<void> {
  await request(t.server)
    .post('/ingest-log/batch')
    .set('authorization', `Bearer ${INGEST_TOKEN}`)
    .send(events)
    .expect(202);
}

describe('Console (/console)', () => {
  let t: TestApp;
  let login: ConsoleLogin;
  beforeAll(async () => {
    t = await startApp({ SOC_ADMIN_TOKEN: ADMIN_TOKEN, SOC_INGEST_TOKEN: INGEST_TOKEN });
    login = await consoleSignIn(t, ADMIN_TOKEN);
  });
  afterAll(() => t.close());

  describe('without a session', () => {
    it.each([
      { path: '/console', status: 303 },
      { path: '/console/decisions', status: 303 },
      { path: '/console/actors/192.0.2.1', status: 303 },
      { path: '/console/audit', status: 303 },
      { path: '/console/api/overview', status: 401 },
      { path: '/console/assets/console.js', status: 401 },
    ])('GET $path → $status, nothing of the console', async ({ path, status }) => {
      const res = await request(t.server).get(path).expect(status);
      if (status === 303) {
        expect(res.headers.location).toBe('/console/login');
      }
      expect(res.text).not.toMatch(/Overview|Decisions|console\.js/);
    });

    it('refuses a form post, with or without a made-up cookie', async () => {
      await request(t.server).post('/console/logout').type('form').send({}).expect(401);
      await request(t.server)
        .post('/console/decisions/0193a4c2-7f00-7000-8000-00000000beef/approve')
        .set('cookie', 'soc_console=made-up')
        .type('form')
        .send({ reason: 'x' })
        .expect(401);
    });

    it('serves the sign-in page and its stylesheet with a strict CSP and no inline script', async () => {
      const res = await request(t.server).get('/console/login').expect(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)/);
      expect(res.text).not.toMatch(/\sstyle=|\son\w+=/);
      await request(t.server)
        .get('/console/assets/console.css')
        .expect(200)
        .expect('content-type', /text\/css/);
    });
  });

  describe('signing in', () => {
    it('refuses a wrong token and says so without echoing it', async () => {
      const res = await request(t.server)
        .post('/console/login')
        .type('form')
        .send({ operator: 'mallory', token: 'guess-0123456789' })
        .expect(401);
      expect(res.text).toContain('That is not the admin token.');
      expect(res.text).not.toContain('guess-0123456789');
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it.each([
      { name: 'no name', form: { token: ADMIN_TOKEN } },
      { name: 'no token', form: { operator: 'alice' } },
    ])('asks again with $name', async ({ form }) => {
      await request(t.server).post('/console/login').type('form').send(form).expect(400);
    });

    it('issues an HttpOnly, SameSite=Strict cookie scoped to /console that is not the token', async () => {
      const res = await request(t.server)
        .post('/console/login')
        .type('form')
        .send({ operator: 'bob', token: ADMIN_TOKEN })
        .expect(303);
      expect(res.headers.location).toBe('/console');
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/^soc_console=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
      expect(cookie).not.toContain(ADMIN_TOKEN);
    });

    it('never puts the admin token in a page', async () => {
      for (const path of ['/console', '/console/decisions', '/console/audit', '/console/api/overview']) {
        const res = await request(t.server).get(path).set('cookie', login.cookie).expect(200);
        expect(res.text).not.toContain(ADMIN_TOKEN);
      }
    });

    it('does not take the admin token as a bearer header instead of a session', async () => {
      await request(t.server).get('/console').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(303);
    });
  });

  describe('pages', () => {
    beforeAll(async () => {
      await ingest(t, sshFailures('192.0.2.50', 6, Date.now() - 60_000, 1));
      await ingest(t, [
        { source_ip: '192.0.2.66', event_type: 'ssh_login_failed', message: HOSTILE_MESSAGE, user_agent: HOSTILE_UA },
      ]);
    });

    it('shows the brute force on the overview and in its live numbers', async () => {
      const page = await request(t.server).get('/console').set('cookie', login.cookie).expect(200);
      expect(page.text).toContain('ssh-brute-force');
      expect(page.text).toContain('/console/actors/192.0.2.50');
      const api = await request(t.server).get('/console/api/overview').set('cookie', login.cookie).expect(200);
      expect(api.body.overview.eventsPerMinute.total).toBeGreaterThanOrEqual(7);
      expect(api.body.overview.decisions).toContainEqual(
        expect.objectContaining({ action: 'block', ruleId: 'ssh-brute-force', status: 'active', count: 1 }),
      );
      expect(api.body.overview.llm).toMatchObject({ provider: 'heuristic', breaker: 'closed' });
      expect(api.body.fragments.tallies).toContain('ssh-brute-force');
    });

    it('counts events per minute by source and format: the route or listener and the line format', async () => {
      await request(t.server)
        .post('/ingest-log/raw')
        .set('authorization', `Bearer ${INGEST_TOKEN}`)
        .set('content-type', 'text/plain')
        .send('<38>Nov 24 10:00:01 bastion-1 sshd[811]: Failed password for root from 192.0.2.91 port 4242 ssh2\n')
        .expect(202);
      const api = await request(t.server).get('/console/api/overview').set('cookie', login.cookie).expect(200);
      const sources = api.body.overview.eventsPerMinute.series.map((s: { source: string }) => s.source);
      expect(sources).toEqual(expect.arrayContaining(['ingest_batch · json', 'ingest_raw · syslog3164']));
      const page = await request(t.server).get('/console').set('cookie', login.cookie).expect(200);
      expect(page.text).toContain('Events per minute by source and format');
      expect(page.text).toContain('ingest_raw · syslog3164');
    });

    it('shows the ingest counters of the metrics registry: lines received and those not stored, with why', async () => {
      await request(t.server)
        .post('/ingest-log/raw')
        .set('authorization', `Bearer ${INGEST_TOKEN}`)
        .set('content-type', 'text/plain')
        .send('this line names no address at all\n')
        .expect((res) => expect(res.status).toBeLessThan(300));
      const api = await request(t.server).get('/console/api/overview').set('cookie', login.cookie).expect(200);
      const names = api.body.overview.ingestCounters.map((c: { name: string }) => c.name);
      expect(names).toContain('soc_ingest_unusable_total');
      expect(api.body.fragments.counters).toContain('soc_ingest_unusable_total');
    });

    it('escapes what came from a log line on the actor page, and shows control characters as code points', async () => {
      const page = await request(t.server).get('/console/actors/192.0.2.66').set('cookie', login.cookie).expect(200);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).toContain('&lt;script&gt;alert(document.cookie)&lt;/script&gt;');
      expect(page.text).toContain('\\u{1b}[31m');
      expect(page.text).not.toContain('\u001b');
    });

    it('explains why an address is blocked: rule, verdict, events and the audit trail', async () => {
      const page = await request(t.server)
        .get('/console/actors/::ffff:192.0.2.50')
        .set('cookie', login.cookie)
        .expect(200);
      expect(page.text).toContain('is blocked');
      expect(page.text).toMatch(/ssh-brute-force/);
      expect(page.text).toMatch(/class="t-event"/);
      expect(page.text).toMatch(/class="t-verdict"/);
      expect(page.text).toMatch(/class="t-audit"/);
    });

    it('shows, for each signal of an event, the rule that fired and the text it matched, escaped', async () => {
      await ingest(t, [{ source_ip: '192.0.2.77', url: '/search?q=<script>alert(1)</script>', http_method: 'GET' }]);
      const api = await request(t.server)
        .get('/actors/192.0.2.77')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .expect(200);
      const matches = api.body.recentEvents[0].matches as { ruleId: string; signal: string }[];
      expect(matches.map((m) => m.signal)).toContain('xss');
      const page = await request(t.server).get('/console/actors/192.0.2.77').set('cookie', login.cookie).expect(200);
      for (const match of matches) {
        expect(page.text).toContain(`rule <code>${match.ruleId}</code>`);
      }
      expect(page.text).toContain('&lt;script&gt;');
      expect(page.text).not.toContain('<script>alert(1)');
    });

    it('shows a local actor (sudo failures) with its scope and no feedback form', async () => {
      await request(t.server)
        .post('/ingest-log/raw')
        .set('authorization', `Bearer ${INGEST_TOKEN}`)
        .set('content-type', 'text/plain')
        .send(
          'Nov 24 10:00:09 bastion sudo[4711]: carol : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/id',
        )
        .expect(202);
      const page = await request(t.server).get('/console/actors/carol@bastion').set('cookie', login.cookie).expect(200);
      expect(page.text).toContain('(local)');
      expect(page.text).toContain('never blocked');
      expect(page.text).not.toContain('/feedback');
    });

    it.each([
      { path: '/console/actors/not%20an%20ip', status: 400, text: 'not a valid IP address' },
      { path: '/console/actors/never.example.org', status: 404, text: 'No events from never.example.org' },
      { path: '/console/actors/192.0.2.99', status: 404, text: 'No events from 192.0.2.99' },
      { path: '/console/decisions?value=999.1.1.1', status: 400, text: 'not an IP address' },
      { path: '/console/audit?value=10.0.0.1/8', status: 400, text: 'host bits set' },
    ])('answers $path with $status and the reason', async ({ path, status, text }) => {
      const res = await request(t.server).get(path).set('cookie', login.cookie).expect(status);
      expect(res.text).toContain(text);
    });

    it('filters decisions by view, rule and address', async () => {
      const rule = await request(t.server)
        .get('/console/decisions?view=in-force&rule=ssh-brute-force')
        .set('cookie', login.cookie)
        .expect(200);
      expect(rule.text).toContain('192.0.2.50');
      const other = await request(t.server)
        .get('/console/decisions?view=in-force&value=192.0.2.51')
        .set('cookie', login.cookie)
        .expect(200);
      expect(other.text).toContain('0 decision(s)');
      const ended = await request(t.server)
        .get('/console/decisions?view=ended')
        .set('cookie', login.cookie)
        .expect(200);
      expect(ended.text).not.toContain('ssh-brute-force');
    });
  });

  describe('changes', () => {
    async function blockId(value: string): Promise<string> {
      const res = await request(t.server)
        .post('/decisions')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ action: 'block', value, duration: '1h', reason: 'console test', by: 'setup' })
        .expect(201);
      return res.body.decision.id as string;
    }

    it('refuses a change without the CSRF token, or from another origin', async () => {
      const id = await blockId('198.51.100.1');
      await request(t.server)
        .post(`/console/decisions/${id}/revoke`)
        .set('cookie', login.cookie)
        .type('form')
        .send({ reason: 'no token' })
        .expect(403);
      await request(t.server)
        .post(`/console/decisions/${id}/revoke`)
        .set('cookie', login.cookie)
        .set('origin', 'https://evil.example')
        .type('form')
        .send({ reason: 'cross-site', _csrf: login.csrf })
        .expect(403);
      const list = await request(t.server)
        .get('/decisions?value=198.51.100.1')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`);
      expect(list.body.total).toBe(1);
    });

    it('extends a decision: the old one is lifted, a new one ends later, both in the audit log by the operator', async () => {
      const id = await blockId('198.51.100.2');
      const res = await request(t.server)
        .post(`/console/decisions/${id}/extend`)
        .set('cookie', login.cookie)
        .type('form')
        .send({
          reason: 'still attacking',
          duration: '24h',
          _csrf: login.csrf,
          back: '/console/decisions?view=in-force',
        })
        .expect(303);
      expect(res.headers.location).toBe('/console/decisions?view=in-force');
      const page = await request(t.server).get(res.headers.location).set('cookie', login.cookie).expect(200);
      expect(page.text).toContain('Extended block on 198.51.100.2');
      const list = await request(t.server)
        .get('/decisions?value=198.51.100.2&active=false')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`);
      const [current, old] = list.body.items;
      expect(old).toMatchObject({ id, revokeReason: expect.stringContaining('still attacking') });
      expect(current).toMatchObject({ revokedAt: null, createdBy: 'alice' });
      expect(Date.parse(current.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
      const audit = await request(t.server)
        .get('/console/audit?value=198.51.100.2')
        .set('cookie', login.cookie)
        .expect(200);
      expect(audit.text).toMatch(/alice[\s\S]*revoked/);
    });

    it('lifts a decision with a reason; a repeat is refused with the reason shown, not an error page', async () => {
      const id = await blockId('198.51.100.3');
      const form = { reason: 'false alarm', _csrf: login.csrf };
      await request(t.server)
        .post(`/console/decisions/${id}/revoke`)
        .set('cookie', login.cookie)
        .type('form')
        .send(form)
        .expect(303);
      await request(t.server).get('/console').set('cookie', login.cookie).expect(200);
      await request(t.server)
        .post(`/console/decisions/${id}/revoke`)
        .set('cookie', login.cookie)
        .type('form')
        .send(form)
        .expect(303);
      const page = await request(t.server).get('/console/decisions').set('cookie', login.cookie).expect(200);
      expect(page.text).toContain('was already revoked');
    });

    it('asks for a reason before changing anything, and never redirects off the console', async () => {
      const id = await blockId('198.51.100.4');
      const res = await request(t.server)
        .post(`/console/decisions/${id}/revoke`)
        .set('cookie', login.cookie)
        .type('form')
        .send({ _csrf: login.csrf, back: 'https://evil.example/' })
        .expect(303);
      expect(res.headers.location).toBe('/console/decisions');
      const list = await request(t.server)
        .get('/decisions?value=198.51.100.4')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`);
      expect(list.body.total).toBe(1);
    });

    it('takes false-positive feedback on an actor, lifting what is in force', async () => {
      await ingest(t, sshFailures('192.0.2.70', 6, Date.now() - 60_000, 1));
      await request(t.server)
        .post('/console/actors/192.0.2.70/feedback')
        .set('cookie', login.cookie)
        .type('form')
        .send({ verdict: 'false_positive', note: 'our pentest', _csrf: login.csrf })
        .expect(303);
      const page = await request(t.server).get('/console/actors/192.0.2.70').set('cookie', login.cookie).expect(200);
      expect(page.text).toContain('Feedback recorded (false positive)');
      expect(page.text).toContain('is not blocked');
      expect(page.text).toContain('our pentest');
    });

    it('signs out: the cookie no longer opens anything', async () => {
      const other = await consoleSignIn(t, ADMIN_TOKEN, 'carol');
      const res = await request(t.server)
        .post('/console/logout')
        .set('cookie', other.cookie)
        .type('form')
        .send({ _csrf: other.csrf })
        .expect(303);
      expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
      await request(t.server).get('/console').set('cookie', other.cookie).expect(303);
    });

    it('takes form bodies on console routes only', async () => {
      await request(t.server)
        .post('/ingest-log')
        .set('authorization', `Bearer ${INGEST_TOKEN}`)
        .type('form')
        .send({ source_ip: '192.0.2.1' })
        .expect(415);
    });
  });
});

describe('Console without SOC_ADMIN_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN });
  });
  afterAll(() => t.close());

  it('stays closed: the sign-in page says why and nothing signs in', async () => {
    const page = await request(t.server).get('/console/login').expect(200);
    expect(page.text).toContain('The console is off');
    await request(t.server).post('/console/login').type('form').send({ operator: 'a', token: 'anything' }).expect(403);
    await request(t.server).get('/console').expect(303);
  });
});
