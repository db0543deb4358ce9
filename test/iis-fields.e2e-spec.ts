import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { batchFile } from '../src/replay/line-batches';
import { Replayer } from '../src/replay/replay';
import { openReplayApp } from '../src/replay/replay-app';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

/**
 * IIS W3C logs whose `#Fields:` directive is not IIS's default order (issue 14): the order holds
 * for the lines after it in the same request body, replayed file or explain request.
 */
const LOG = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2026-12-06 03:58:00',
  '#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken',
  '2026-12-06 03:58:24 W3SVC1 WEB01 10.0.0.4 GET /products.aspx id=1%27+UNION+SELECT+password+FROM+users-- 443 - 203.0.113.7 HTTP/1.1 Mozilla/5.0 - - shop.example.com 500 0 0 512 300 15',
  '2026-12-06 03:58:25 W3SVC1 WEB01 10.0.0.4 GET /index.html - 443 - 198.51.100.20 HTTP/1.1 Mozilla/5.0+(Windows+NT+10.0) - https://shop.example.com/ shop.example.com 200 0 0 5120 300 3',
];

describe('IIS #Fields: directives through the service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterAll(() => t.close());

  it('POST /ingest-log/raw reads the lines after a directive in its order; directives are unparsed', async () => {
    const res = await request(t.server)
      .post('/ingest-log/raw')
      .set('authorization', `Bearer ${INGEST_TOKEN}`)
      .set('content-type', 'text/plain')
      .send(LOG.join('\r\n'))
      .expect(202);
    const results = res.body.results as { status: string; actor?: string }[];
    expect(results.map((r) => r.status)).toEqual([
      'unparsed',
      'unparsed',
      'unparsed',
      'unparsed',
      'accepted',
      'accepted',
    ]);
    expect(results.slice(4).map((r) => r.actor)).toEqual(['203.0.113.7', '198.51.100.20']);
    const actor = await request(t.server)
      .get('/actors/203.0.113.7')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(actor.body.recentEvents[0]).toMatchObject({
      url: '/products.aspx?id=1%27+UNION+SELECT+password+FROM+users--',
      httpStatus: 500,
      host: 'shop.example.com',
    });
    expect(actor.body.decision).toMatchObject({ action: 'block', ruleId: 'web-attack-high' });
  });

  it('another request does not inherit the order: the same line alone is not read', async () => {
    const res = await request(t.server)
      .post('/ingest-log/raw')
      .set('authorization', `Bearer ${INGEST_TOKEN}`)
      .set('content-type', 'text/plain')
      .send(LOG[5])
      .expect(202);
    expect(res.body.results[0].status).not.toBe('accepted');
  });

  it('POST /explain follows the directive and says iis', async () => {
    const res = await request(t.server)
      .post('/explain')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .set('content-type', 'text/plain')
      .send(LOG.join('\n'))
      .expect(200);
    const body = res.body as { format?: string; actor: string | null; signals?: string[] }[];
    expect(body[3]).toMatchObject({ actor: null });
    expect(body[4]).toMatchObject({
      format: 'iis',
      actor: '203.0.113.7',
      signals: expect.arrayContaining(['sql_injection']) as string[],
    });
    expect(body[5]).toMatchObject({ format: 'iis', actor: '198.51.100.20' });
    expect(body[5].signals).not.toContain('sql_injection');
  });
});

describe('IIS #Fields: directives in a replayed file', () => {
  it('the file is one stream: the attacker is blocked, the browser is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iis-replay-'));
    const file = join(dir, 'u_ex261206.log');
    writeFileSync(file, `${LOG.join('\r\n')}\r\n`);
    const app = await openReplayApp({}, { keepRows: true });
    try {
      const source = batchFile(file, { now: new Date('2026-12-07T00:00:00Z'), batchSize: 1000, batchSpanSeconds: 600 });
      const result = await new Replayer(app).batches(source);
      expect(result.decisions.filter((d) => d.action === 'block').map((d) => d.value)).toEqual(['203.0.113.7']);
      expect(await app.memory.getActor('198.51.100.20')).not.toBeNull();
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
