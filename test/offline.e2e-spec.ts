import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import request from 'supertest';
import { auditConnections } from './connection-audit';
import { FakeAnthropic } from './fake-anthropic';
import { sshFailures, startApp } from './harness';
import { llmSettings, llmStats, reviewsSettled, TEST_KEY } from './llm-e2e';

/**
 * Offline mode, proven: with no API key (or LLM_PROVIDER=mock), the service starts, ingests,
 * decides and serves without a single connection beyond loopback. Every connection attempt of
 * the process is recorded (net.Socket#connect, which net, tls, http(s) and fetch all use).
 */

const TRAFFIC = [
  ...sshFailures('203.0.113.7', 6),
  { source_ip: '198.51.100.23', url: "/search?q=1' UNION SELECT password FROM users--", user_agent: 'sqlmap/1.7' },
  { source_ip: '192.0.2.50', url: '/q?<script>alert(1)</script>' },
  { source_ip: '192.0.2.51', url: '/.env' },
];

async function exercise(server: Parameters<typeof request>[0]): Promise<void> {
  await request(server).post('/ingest-log/batch').send(TRAFFIC).expect(202);
  for (const event of TRAFFIC.slice(0, 3)) {
    await request(server).post('/ingest-log').send(event).expect(202);
  }
  const blocks = await request(server).get('/decisions?action=block').expect(200);
  expect(blocks.body.items.map((d: { value: string }) => d.value)).toEqual(
    expect.arrayContaining(['203.0.113.7', '198.51.100.23']),
  );
  await request(server).get('/actors/203.0.113.7').expect(200);
}

describe('offline mode', () => {
  it('the audit sees connections and refuses one beyond loopback without sending it', async () => {
    const audit = auditConnections();
    try {
      const refused = await new Promise<Error>((resolve) => {
        const socket = net.connect({ host: '192.0.2.1', port: 9 });
        socket.on('error', resolve);
      });
      const tlsRefused = await new Promise<Error>((resolve) => {
        tls.connect({ host: 'api.anthropic.com', port: 443 }).on('error', resolve);
      });
      expect(refused.message).toMatch(/refused by the audit/);
      expect(tlsRefused.message).toMatch(/refused by the audit/);
      expect(audit.outside().map((a) => a.host)).toEqual(['192.0.2.1', 'api.anthropic.com']);
    } finally {
      audit.restore();
    }
  });

  it.each<{ name: string; settings: Record<string, string> }>([
    { name: 'no key (LLM_PROVIDER=auto)', settings: {} },
    { name: 'LLM_PROVIDER=mock with a key set', settings: { LLM_PROVIDER: 'mock', ANTHROPIC_API_KEY: TEST_KEY } },
  ])('$name: ingests and decides with no connection beyond loopback', async ({ settings }) => {
    const audit = auditConnections();
    const t = await startApp(settings);
    try {
      await exercise(t.server);
      await reviewsSettled(t);
      const stats = await llmStats(t);
      expect(stats.setup).toMatchObject({ provider: 'heuristic', model: null });
      expect(stats.calls).toEqual({ success: 0, failure: 0 });
      expect(audit.attempts.length).toBeGreaterThan(0);
      expect(audit.outside()).toEqual([]);
    } finally {
      await t.close();
      audit.restore();
    }
  });

  it('in heuristic mode the Anthropic SDK is not even loaded', () => {
    // A fresh process (jest's module registry would hide what Node itself loads).
    const probe = `
      require('./src/replay/replay-app').openReplayApp().then(async (app) => {
        const loaded = Object.keys(require.cache).filter((path) => path.includes('@anthropic-ai'));
        await app.close();
        process.stdout.write(JSON.stringify(loaded));
      });`;
    const out = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', probe], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual([]);
  }, 60_000);

  it('mock never calls the API even when its address is configured', async () => {
    const fake = await FakeAnthropic.start();
    const t = await startApp({ ...llmSettings(fake), LLM_PROVIDER: 'mock' });
    try {
      await exercise(t.server);
      await reviewsSettled(t);
      expect(fake.requests).toEqual([]);
    } finally {
      await t.close();
      await fake.close();
    }
  });

  it('with a key, the only connections are to the configured (loopback) API', async () => {
    const audit = auditConnections();
    const fake = await FakeAnthropic.start();
    const t = await startApp(llmSettings(fake));
    try {
      await exercise(t.server);
      await reviewsSettled(t);
      expect(fake.requests.length).toBeGreaterThan(0);
      const port = Number(new URL(fake.url).port);
      expect(audit.attempts.some((a) => a.port === port)).toBe(true);
      expect(audit.outside()).toEqual([]);
    } finally {
      await t.close();
      await fake.close();
      audit.restore();
    }
  });
});
