import request from 'supertest';
import { sshFailures, startApp, TestApp } from './harness';

describe('read API: GET /actors/:key, GET /decisions, GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    await request(t.server).post('/ingest-log/batch').send(sshFailures('2001:db8::7', 5)).expect(202);
    await request(t.server)
      .post('/ingest-log')
      .send({ source_ip: '192.0.2.20', url: '/<script>alert(1)</script>' })
      .expect(202);
  });
  afterAll(() => t.close());

  it('shows what is remembered about an actor, whatever form its address is written in', async () => {
    const res = await request(t.server).get('/actors/2001:0DB8:0:0::7').expect(200);
    expect(res.body.profile).toMatchObject({
      ip: '2001:db8::7',
      eventCount: 5,
      failureCount: 5,
      signalCounts: { auth_failure: 5 },
      distinctUsers: 5,
    });
    expect(res.body.decision).toMatchObject({ action: 'block', ruleId: 'ssh-brute-force' });
    expect(res.body.recentEvents).toHaveLength(5);
    expect(res.body.verdicts[0]).toMatchObject({
      provider: 'heuristic',
      level: 'critical',
      categories: ['credential_stuffing'],
    });
    expect(res.body.summary).toContain('2001:db8::7');
  });

  it('never repeats untrusted text in the prose summary', async () => {
    const res = await request(t.server).get('/actors/192.0.2.20').expect(200);
    expect(res.body.recentEvents[0].url).toBe('/<script>alert(1)</script>');
    expect(res.body.summary).not.toContain('script');
  });

  it.each([
    { path: '/actors/192.0.2.250', status: 404 },
    { path: '/actors/not%20an%20ip', status: 400 },
    { path: '/actors/999.1.1.1', status: 400 },
    { path: '/decisions?action=nuke', status: 400 },
    { path: '/decisions?limit=0', status: 400 },
    { path: '/decisions?limit=abc', status: 400 },
    { path: '/decisions?offset=-1', status: 400 },
  ])('$status for $path', async ({ path, status }) => {
    await request(t.server).get(path).expect(status);
  });

  it('filters and pages the decisions in force', async () => {
    const all = await request(t.server).get('/decisions').expect(200);
    expect(all.body.total).toBe(2);
    const alerts = await request(t.server).get('/decisions?action=alert').expect(200);
    expect(alerts.body.items).toEqual([expect.objectContaining({ value: '192.0.2.20', ruleId: 'web-attack-medium' })]);
    const page = await request(t.server).get('/decisions?limit=1&offset=1').expect(200);
    expect(page.body).toMatchObject({ total: 2, items: [expect.any(Object)] });
  });

  it('reports health', async () => {
    await request(t.server).get('/health').expect(200, { status: 'ok', database: 'up', storage: 'writable' });
  });
});

interface OpenApiOperation {
  summary?: unknown;
  requestBody?: {
    content?: Record<string, { example?: unknown; examples?: unknown; schema?: { example?: unknown; $ref?: string } }>;
  };
}

describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('describes every route at /docs-json, with a summary and a worked example, and serves the UI at /docs', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, OpenApiOperation>>).flatMap(
      ([path, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );
    const routes = operations.map((o) => o.route);
    for (const core of [
      'POST /ingest-log',
      'POST /ingest-log/batch',
      'POST /ingest-log/raw',
      'GET /actors/{key}',
      'GET /decisions',
      'GET /health',
      'POST /services/collector/event',
      'POST /services/collector/raw',
      'GET /services/collector/health',
    ]) {
      expect(routes).toContain(core);
    }
    for (const { route, op } of operations) {
      expect({ route, summary: typeof op.summary }).toEqual({ route, summary: 'string' });
      const body = op.requestBody?.content;
      if (body !== undefined) {
        const documented = Object.values(body).some(
          (c) =>
            c.example !== undefined ||
            c.examples !== undefined ||
            c.schema?.example !== undefined ||
            c.schema?.$ref !== undefined,
        );
        expect({ route, documented }).toEqual({ route, documented: true });
      }
    }
    expect(doc.paths['/ingest-log'].post.requestBody.content['application/json'].examples).toHaveProperty('flat');
    expect(doc.components.schemas).toHaveProperty('FlatEventDto');
    expect(doc.components.schemas).toHaveProperty('EcsEventDto');
    const ui = await request(t.server).get('/docs').redirects(1).expect(200);
    expect(ui.text).toMatch(/swagger/i);
  });
});
