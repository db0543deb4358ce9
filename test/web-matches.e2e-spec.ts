import request from 'supertest';
import { startApp, TestApp } from './harness';

describe('why a web request was flagged, in the actor history', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startApp()));
  afterAll(async () => t.close());

  it('each stored event names the rule that fired and the text it matched', async () => {
    const lines = [
      '198.51.100.77 - - [06/Dec/2026:03:58:24 +0000] "GET /shop/item.html?id=1%20AND%201400%3D6208 HTTP/1.1" 200 411 "-" "Mozilla/5.0"',
      '198.51.100.77 - - [06/Dec/2026:03:58:25 +0000] "GET /hello?name=%7B%7B7*7%7D%7D HTTP/1.1" 200 5 "-" "Mozilla/5.0"',
      '198.51.100.78 - - [06/Dec/2026:03:58:25 +0000] "GET /search?q=select+a+gift HTTP/1.1" 200 5 "-" "Mozilla/5.0"',
    ].join('\n');
    await request(t.server).post('/ingest-log/raw').set('Content-Type', 'text/plain').send(lines).expect(202);
    const actor = await request(t.server).get('/actors/198.51.100.77').expect(200);
    const matches = (actor.body.recentEvents as { matches: { ruleId: string; matched: string }[] }[]).flatMap(
      (event) => event.matches,
    );
    expect(matches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          signal: 'sql_injection',
          ruleId: 'web-sqli-boolean-bare',
          field: 'cs-uri',
          matched: ' and 1400=6',
        }),
        expect.objectContaining({ signal: 'template_injection', ruleId: 'web-ssti-expression', matched: '{{7*7}}' }),
      ]),
    );
    expect(actor.body.decision).toMatchObject({ action: 'block' });
    const benign = await request(t.server).get('/actors/198.51.100.78').expect(200);
    expect(benign.body.recentEvents[0].matches).toEqual([
      expect.objectContaining({ signal: 'dynamic_request', ruleId: 'web-behaviour-dynamic-request' }),
    ]);
    expect(benign.body.decision).toBeNull();
  });

  it('POST /explain names the web rule and the matched text, and stores nothing', async () => {
    const line =
      '<190>Dec  6 03:58:24 web-1 nginx: 198.51.100.79 - - [06/Dec/2026:03:58:24 +0000] "GET /index.php?page=php://filter/resource=x HTTP/1.1" 200 5 "-" "Mozilla/5.0"';
    const response = await request(t.server).post('/explain').set('Content-Type', 'text/plain').send(line).expect(200);
    const [explained] = response.body as {
      actor: string;
      matches: { signal: string; ruleId: string; matched: string }[];
    }[];
    expect(explained.actor).toBe('198.51.100.79');
    expect(explained.matches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ signal: 'lfi', ruleId: 'web-lfi-wrapper', matched: 'php://filter' }),
      ]),
    );
    await request(t.server).get('/actors/198.51.100.79').expect(404);
  });
});
