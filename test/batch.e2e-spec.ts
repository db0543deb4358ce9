import request from 'supertest';
import { sshFailures, startApp, TestApp } from './harness';

describe('POST /ingest-log/batch', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ INGEST_MAX_BATCH: '50' });
  });
  afterAll(() => t.close());

  it('stores the good records of a JSON array and reports each bad one with its index', async () => {
    const records = [
      ...sshFailures('203.0.113.50', 3),
      { source_ip: '999.1.1.1', message: 'bad address' },
      ...sshFailures('203.0.113.50', 3, Date.parse('2026-11-24T10:01:00Z')),
      'not an object',
      { source_ip: '192.0.2.5', source_port: 'ssh' },
    ];
    const res = await request(t.server).post('/ingest-log/batch').send(records).expect(202);
    expect(res.body.accepted).toBe(6);
    expect(res.body.unparsed).toBe(0);
    expect(res.body.rejected).toBe(3);
    expect(res.body.errors).toEqual([
      { index: 3, reason: 'source_ip is not a valid IP address', status: 'rejected' },
      { index: 7, reason: 'record must be a JSON object', status: 'rejected' },
      { index: 8, reason: expect.stringMatching(/source_port/), status: 'rejected' },
    ]);
    expect(res.body.results).toHaveLength(9);
    expect(res.body.results[0]).toEqual({
      index: 0,
      status: 'accepted',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      actor: '203.0.113.50',
    });
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
      ...Array(3).fill('accepted'),
      'rejected',
      ...Array(3).fill('accepted'),
      'rejected',
      'rejected',
    ]);
    expect(res.body.decisions).toEqual([
      expect.objectContaining({ actor: '203.0.113.50', decision: expect.objectContaining({ action: 'block' }) }),
    ]);
    const actor = await request(t.server).get('/actors/203.0.113.50').expect(200);
    expect(actor.body.profile.eventCount).toBe(6);
  });

  it('reads NDJSON and reports bad lines by line number', async () => {
    const lines = [
      JSON.stringify({ source_ip: '192.0.2.60', event_type: 'http_request', url: '/' }),
      '',
      '{"source_ip": "192.0.2.61",',
      JSON.stringify({ source_ip: '192.0.2.62', url: '/.env' }),
    ].join('\n');
    const res = await request(t.server)
      .post('/ingest-log/batch')
      .set('Content-Type', 'application/x-ndjson')
      .send(lines)
      .expect(202);
    expect(res.body).toMatchObject({
      accepted: 2,
      rejected: 1,
      errors: [{ index: 1, line: 3, reason: 'line is not valid JSON', status: 'rejected' }],
    });
    expect(res.body.results.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([
      [1, 'accepted'],
      [3, 'rejected'],
      [4, 'accepted'],
    ]);
  });

  it('202 with a result for each record even when none can be stored: no retry for ordinary log lines', async () => {
    const res = await request(t.server)
      .post('/ingest-log/batch')
      .send([{ source_ip: 'nope' }, { message: 'pam_unix(sshd:auth): check pass; user unknown' }])
      .expect(202);
    expect(res.body).toMatchObject({ accepted: 0, unparsed: 1, rejected: 1, decisions: [] });
    expect(res.body.results).toEqual([
      { index: 0, status: 'rejected', reason: 'source_ip is not a valid IP address' },
      { index: 1, status: 'unparsed', reason: expect.stringMatching(/^no usable source address/) },
    ]);
  });

  it.each([
    { name: 'an empty array', body: [], status: 400 },
    { name: 'an object instead of an array', body: { source_ip: '192.0.2.1' }, status: 400 },
  ])('$status for $name', async ({ body, status }) => {
    await request(t.server).post('/ingest-log/batch').send(body).expect(status);
  });

  it('413 past INGEST_MAX_BATCH records, storing nothing', async () => {
    const records = Array.from({ length: 51 }, () => ({ source_ip: '192.0.2.99' }));
    const res = await request(t.server).post('/ingest-log/batch').send(records).expect(413);
    expect(res.body.message).toMatch(/INGEST_MAX_BATCH/);
    await request(t.server).get('/actors/192.0.2.99').expect(404);
  });

  it('413 past INGEST_MAX_BATCH NDJSON lines', async () => {
    const lines = Array.from({ length: 51 }, () => JSON.stringify({ source_ip: '192.0.2.98' })).join('\n');
    await request(t.server)
      .post('/ingest-log/batch')
      .set('Content-Type', 'application/x-ndjson')
      .send(lines)
      .expect(413);
  });
});
