import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { TestApp, passBuffer, startApp } from './harness';

describe('POST /ingest-log/raw and compressed bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ INGEST_MAX_BODY: '65536', INGEST_MAX_BATCH: '100' });
  });
  afterAll(() => t.close());

  it('reads each supported format, detected per line, and reports bad lines by number', async () => {
    const lines = [
      'Nov 24 10:00:01 bastion-1 sshd[811]: Failed password for invalid user oracle from 203.0.113.20 port 4242 ssh2',
      '<34>1 2026-11-24T10:00:02.003Z bastion-1 sshd 812 - - Failed password for root from 203.0.113.20 port 4243 ssh2',
      '198.51.100.21 - - [24/Nov/2026:10:00:03 +0000] "GET /search?q=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.7"',
      'CEF:0|Imperva Inc.|SecureSphere|12.0|10|SQL Injection|High|src=198.51.100.22 spt=5555 request=/login?id\\=1 OR 1\\=1 requestClientApplication=Mozilla/5.0',
      'LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=198.51.100.23^dst=10.0.0.1^usrName=admin',
      '{"source_ip":"198.51.100.24","event_type":"http_request","url":"/.env"}',
      '',
      'this line is not any log format at all',
      '{"source_ip":"999.1.1.1"}',
    ].join('\n');
    const res = await request(t.server)
      .post('/ingest-log/raw')
      .set('Content-Type', 'text/plain')
      .send(lines)
      .expect(202);
    expect(res.body.accepted).toBe(6);
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([8, 9]);
    expect(res.body.errors[1].reason).toMatch(/not a valid IP address/);
    // One result per non-blank line, in order, with its line number.
    expect(res.body.results.map((r: { line: number; status: string }) => `${r.line}:${r.status}`)).toEqual([
      '1:accepted',
      '2:accepted',
      '3:accepted',
      '4:accepted',
      '5:accepted',
      '6:accepted',
      '8:unparsed',
      '9:rejected',
    ]);
    expect(res.body.results[0].actor).toBe('203.0.113.20');
    for (const ip of ['203.0.113.20', '198.51.100.21', '198.51.100.22', '198.51.100.23', '198.51.100.24']) {
      await request(t.server).get(`/actors/${ip}`).expect(200);
    }
    const sqli = await request(t.server).get('/actors/198.51.100.21').expect(200);
    expect(sqli.body.decision).toMatchObject({ action: 'block', ruleId: 'web-attack-high' });
  });

  it('honours a forced ?format=: a line not in it is unparsed, acknowledged, not stored', async () => {
    const res = await request(t.server)
      .post('/ingest-log/raw?format=access')
      .set('Content-Type', 'text/plain')
      .send('<13>Nov 24 10:00:01 host sshd[1]: Failed password for root from 203.0.113.30 port 22 ssh2')
      .expect(202);
    expect(res.body).toMatchObject({ accepted: 0, unparsed: 1, rejected: 0 });
    expect(res.body.results).toEqual([
      { index: 0, line: 1, status: 'unparsed', reason: expect.stringMatching(/not an? access/) },
    ]);
    await request(t.server).get('/actors/203.0.113.30').expect(404);
  });

  it.each([
    { name: 'an unknown format', path: '/ingest-log/raw?format=xml', body: 'x', status: 400 },
    { name: 'only blank lines', path: '/ingest-log/raw', body: '\n\n', status: 400 },
    {
      name: 'too many lines',
      path: '/ingest-log/raw',
      body: Array.from({ length: 101 }, () => '{"source_ip":"192.0.2.1"}').join('\n'),
      status: 413,
    },
  ])('$status for $name', async ({ path, body, status }) => {
    await request(t.server).post(path).set('Content-Type', 'text/plain').send(body).expect(status);
  });

  it('decompresses gzip on every ingest route, with the size limit on the decompressed bytes', async () => {
    const event = gzipSync(Buffer.from(JSON.stringify({ source_ip: '192.0.2.40' })));
    await request(t.server)
      .post('/ingest-log')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(passBuffer)
      .send(event)
      .expect(202);
    const batch = gzipSync(Buffer.from(JSON.stringify([{ source_ip: '192.0.2.41' }])));
    await request(t.server)
      .post('/ingest-log/batch')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(passBuffer)
      .send(batch)
      .expect(202);
    const raw = gzipSync(Buffer.from('{"source_ip":"192.0.2.42"}\n'));
    await request(t.server)
      .post('/ingest-log/raw')
      .set('Content-Type', 'text/plain')
      .set('Content-Encoding', 'gzip')
      .serialize(passBuffer)
      .send(raw)
      .expect(202);
  });

  it('answers a gzip bomb with 413 without inflating it', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(65536);
    const before = process.memoryUsage().rss;
    await request(t.server)
      .post('/ingest-log/raw')
      .set('Content-Type', 'text/plain')
      .set('Content-Encoding', 'gzip')
      .serialize(passBuffer)
      .send(bomb)
      .expect(413);
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it.each([
    { name: 'corrupt gzip', encoding: 'gzip', body: Buffer.from('not gzip at all'), status: 400 },
    { name: 'an unsupported encoding', encoding: 'br', body: Buffer.from('x'), status: 415 },
  ])('$status for $name', async ({ encoding, body, status }) => {
    await request(t.server)
      .post('/ingest-log')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', encoding)
      .serialize(passBuffer)
      .send(body)
      .expect(status);
  });
});
