import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { Reply } from './fake-anthropic';
import { eventually, sshFailures, startApp, TestApp } from './harness';
import { policyFileWithLlm, reviewsSettled, startWithFake } from './llm-e2e';
import { parseExposition, valueOf } from './prometheus';

const SECRET = 'webhook-secret-0123456789abcdef';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback that answers each POST with the next status of `statuses` (then 200). */
async function receiver(
  statuses: number[] = [],
  delayMs = 0,
): Promise<{ url: string; got: Received[]; close(): Promise<void>; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      setTimeout(() => res.writeHead(statuses.shift() ?? 200).end(), delayMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/soc`,
    got,
    server,
    close: () => new Promise<void>((resolve) => server.closeAllConnections() ?? server.close(() => resolve())),
  };
}

/** What a receiver does: recompute the HMAC over "<t>.<body>", compare in constant time, refuse a stale t. */
function verify(headers: IncomingHttpHeaders, body: string, secret: string, toleranceSeconds = 300): boolean {
  const header = String(headers['x-soc-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds || parts.v1 === undefined) {
    return false;
  }
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhooks on new decisions', () => {
  describe('JSON, signed, retried', () => {
    let t: TestApp;
    let hook: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      hook = await receiver([500]);
      t = await startApp({
        WEBHOOK_URLS: hook.url,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_RETRY_BASE_MS: '50',
      });
    });
    afterAll(async () => {
      await t.close();
      await hook.close();
    });

    it('posts a block, signed, retries it after a 500 with the same delivery id, and counts it', async () => {
      await request(t.server).post('/ingest-log/batch').send(sshFailures('203.0.113.70', 10)).expect(202);
      await eventually(() => expect(hook.got).toHaveLength(2));
      const [first, second] = hook.got;
      expect(second.headers['x-soc-delivery']).toBe(first.headers['x-soc-delivery']);
      for (const delivery of hook.got) {
        expect(verify(delivery.headers, delivery.body, SECRET)).toBe(true);
        expect(verify(delivery.headers, delivery.body, 'another-secret-0123456789')).toBe(false);
        expect(verify(delivery.headers, delivery.body.replace('203.0.113.70', '203.0.113.71'), SECRET)).toBe(false);
        expect(delivery.headers['content-type']).toBe('application/json');
        expect(delivery.headers['x-soc-event']).toBe('decision.created');
      }
      const body = JSON.parse(second.body);
      expect(body).toMatchObject({
        id: second.headers['x-soc-delivery'],
        type: 'decision.created',
        decision: {
          action: 'block',
          status: 'active',
          scope: 'ip',
          value: '203.0.113.70',
          origin: 'policy',
          ruleId: 'ssh-brute-force',
        },
      });
      expect(Date.parse(body.decision.expiresAt)).toBeGreaterThan(Date.parse(body.decision.createdAt));
      const metrics = parseExposition((await request(t.server).get('/metrics').expect(200)).text);
      expect(valueOf(metrics, 'soc_webhook_attempts_total', { target: '1', outcome: 'http_5xx' })).toBe(1);
      expect(valueOf(metrics, 'soc_webhook_attempts_total', { target: '1', outcome: 'success' })).toBe(1);
      expect(valueOf(metrics, 'soc_webhook_deliveries_total', { target: '1', result: 'delivered' })).toBe(1);
      expect(valueOf(metrics, 'soc_webhook_queue_depth')).toBe(0);
    });

    it('posts a manual block made through the management API', async () => {
      const before = hook.got.length;
      await request(t.server)
        .post('/decisions')
        .send({ action: 'block', value: '192.0.2.80', duration: '1h', reason: 'seen in the IR ticket', by: 'alice' })
        .expect(201);
      await eventually(() => expect(hook.got.length).toBe(before + 1));
      const body = JSON.parse(hook.got[before].body);
      expect(body.decision).toMatchObject({
        action: 'block',
        origin: 'manual',
        value: '192.0.2.80',
        createdBy: 'alice',
      });
    });

    it('stays quiet for events that decide nothing', async () => {
      const before = hook.got.length;
      await request(t.server).post('/ingest-log').send({ source_ip: '198.51.100.77', message: 'hello' }).expect(202);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(hook.got.length).toBe(before);
    });
  });

  describe('a receiver that hangs', () => {
    let t: TestApp;
    let hook: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      hook = await receiver([], 60_000);
      t = await startApp({
        WEBHOOK_URLS: hook.url,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_TIMEOUT_MS: '2000',
        WEBHOOK_MAX_ATTEMPTS: '2',
        WEBHOOK_RETRY_BASE_MS: '20',
      });
    });
    afterAll(async () => {
      await t.close();
      await hook.close();
    });

    it('never slows ingest: the answer comes while the post waits; the delivery fails after its attempts (counted)', async () => {
      const started = Date.now();
      await request(t.server).post('/ingest-log/batch').send(sshFailures('203.0.113.72', 10)).expect(202);
      // Had ingest waited for the receiver, the answer would take the post's timeout (2 s) at least.
      expect(Date.now() - started).toBeLessThan(2000);
      await eventually(async () => {
        const metrics = parseExposition((await request(t.server).get('/metrics').expect(200)).text);
        expect(valueOf(metrics, 'soc_webhook_attempts_total', { outcome: 'timeout' })).toBe(2);
        expect(valueOf(metrics, 'soc_webhook_deliveries_total', { result: 'failed' })).toBe(1);
      }, 15_000);
    }, 30_000);
  });

  describe('Slack format, filtered by rule', () => {
    let t: TestApp;
    let hook: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      hook = await receiver();
      t = await startApp({
        WEBHOOK_URLS: hook.url,
        WEBHOOK_FORMAT: 'slack',
        WEBHOOK_RULES: 'manual',
        WEBHOOK_ACTIONS: 'block',
      });
    });
    afterAll(async () => {
      await t.close();
      await hook.close();
    });

    it('posts a Slack message for the rules asked for only, escaped', async () => {
      await request(t.server).post('/ingest-log/batch').send(sshFailures('203.0.113.73', 10)).expect(202);
      await request(t.server)
        .post('/decisions')
        .send({ action: 'block', value: '192.0.2.81', duration: '1h', reason: 'see <ticket> & notes', by: 'bob' })
        .expect(201);
      await eventually(() => expect(hook.got).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(hook.got).toHaveLength(1);
      const body = JSON.parse(hook.got[0].body);
      expect(Object.keys(body)).toEqual(['text']);
      expect(body.text).toContain('*block*');
      expect(body.text).toContain('`192.0.2.81`');
      expect(body.text).toContain('see &lt;ticket&gt; &amp; notes');
      expect(hook.got[0].headers['x-soc-signature']).toBeUndefined();
    });
  });

  describe('pending approval (the LLM proposes, an analyst approves)', () => {
    const HOSTILE: Reply = {
      kind: 'verdict',
      input: {
        level: 'critical',
        score: 92,
        categories: ['web_exploit'],
        techniques: ['T1189'],
        confidence: 0.9,
        rationale: 'Repeated cross-site scripting attempts.',
      },
    };
    const policy = policyFileWithLlm('  maxAction: block\n  mayShortenSoftBlocks: false\n  approval: pending');
    let rig: Awaited<ReturnType<typeof startWithFake>>;
    let hook: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      hook = await receiver();
      rig = await startWithFake({
        POLICY_FILE: policy.path,
        WEBHOOK_URLS: hook.url,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_ACTIONS: 'block,pending',
      });
    });
    afterAll(async () => {
      await rig.close();
      await hook.close();
      policy.remove();
    });

    it('posts the pending block as pending, then its approval as decision.approved', async () => {
      const { t, fake } = rig;
      fake.otherwise(HOSTILE);
      await request(t.server)
        .post('/ingest-log')
        .send({ source_ip: '192.0.2.30', event_type: 'http_request', url: '/search?q=<script>alert(1)</script>' })
        .expect(202);
      await reviewsSettled(t);
      await eventually(() => expect(hook.got).toHaveLength(1));
      const pending = JSON.parse(hook.got[0].body);
      expect(pending).toMatchObject({
        type: 'decision.created',
        decision: { action: 'block', status: 'pending', origin: 'llm', value: '192.0.2.30' },
      });
      await request(t.server)
        .post(`/decisions/${String(pending.decision.id)}/approve`)
        .send({ reason: 'confirmed in the WAF logs', by: 'carol' })
        .expect(200);
      await eventually(() => expect(hook.got).toHaveLength(2));
      expect(hook.got[1].headers['x-soc-event']).toBe('decision.approved');
      expect(JSON.parse(hook.got[1].body)).toMatchObject({
        type: 'decision.approved',
        decision: { id: pending.decision.id, action: 'block', status: 'active' },
      });
      for (const delivery of hook.got) {
        expect(verify(delivery.headers, delivery.body, SECRET)).toBe(true);
      }
    }, 30_000);
  });
});
