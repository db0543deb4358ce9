import request from 'supertest';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

const LINES = [
  'Nov 24 10:00:01 bastion sshd[1234]: Failed password for invalid user admin from 203.0.113.7 port 4242 ssh2',
  'Nov 24 10:00:01 bastion sshd[1234]: message repeated 3 times: [ Failed password for root from 203.0.113.7 port 4242 ssh2]',
  'not a log line at all',
  '',
  '203.0.113.9 - - [24/Nov/2026:10:00:02 +0000] "GET /search?q=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1" 200 12 "-" "sqlmap/1.7"',
  'Nov 24 10:00:01 bastion sshd[1234]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=scanner.example.net  user=root',
];

describe('POST /explain', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterAll(() => t.close());

  const explain = (body: string, token = ADMIN_TOKEN, query = '') =>
    request(t.server)
      .post(`/explain${query}`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'text/plain')
      .send(body);

  it('answers one object per line, in line order, and stores nothing', async () => {
    const response = await explain(LINES.join('\n')).expect(200);
    const body = response.body as Record<string, unknown>[];
    expect(body).toHaveLength(LINES.length);
    expect(body[0]).toMatchObject({
      format: 'syslog3164',
      actor: '203.0.113.7',
      scope: 'ip',
      signals: ['auth_failure'],
      matches: [{ signal: 'auth_failure', ruleId: 'sshd-failed-password', field: 'message' }],
      attempt: { role: 'failed', count: 1, keys: ['pbastion#1234', 'abastion:4242'] },
    });
    expect(typeof body[0].time).toBe('string');
    expect(body[1]).toMatchObject({ actor: '203.0.113.7', attempt: { role: 'failed', count: 3 } });
    expect(body[2]).toMatchObject({ actor: null, reason: expect.any(String) as string });
    expect(body[3]).toMatchObject({ actor: null, reason: 'empty line' });
    expect(body[4]).toMatchObject({
      format: 'access',
      actor: '203.0.113.9',
      signals: expect.arrayContaining(['sql_injection', 'scanner']) as string[],
    });
    const sqli = (body[4].matches as { signal: string; field: string }[]).find((m) => m.signal === 'sql_injection');
    expect(sqli?.field).toBe('url');
    expect(body[5]).toMatchObject({ actor: 'scanner.example.net', scope: 'hostname', signals: ['auth_failure'] });
    await request(t.server).get('/actors/203.0.113.7').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(404);
  });

  it.each([
    { name: 'no token', token: '', status: 401 },
    { name: 'the ingest token', token: INGEST_TOKEN, status: 401 },
  ])('refuses $name', async ({ token, status }) => {
    await explain(LINES[0], token).expect(status);
  });

  it.each([
    { name: 'an unknown format', body: LINES[0], query: '?format=xml', status: 400 },
    { name: 'an empty body', body: '', query: '', status: 400 },
    { name: 'more than 10,000 lines', body: `${LINES[0]}\n`.repeat(10_001), query: '', status: 413 },
  ])('answers $status to $name', async ({ body, query, status }) => {
    await explain(body, ADMIN_TOKEN, query).expect(status);
  });

  it('refuses JSON (it explains text/plain lines)', async () => {
    await request(t.server)
      .post('/explain')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ line: LINES[0] })
      .expect(400);
  });

  it('reads a forced format', async () => {
    const response = await explain(LINES[0], ADMIN_TOKEN, '?format=cef').expect(200);
    expect(response.body).toEqual([{ format: 'cef', actor: null, reason: expect.stringMatching(/^not a cef line/) }]);
  });
});
