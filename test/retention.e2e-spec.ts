import request from 'supertest';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../src/config/environment';
import { PURGE_BATCH, RetentionService } from '../src/memory/retention.service';
import { manual, storeDecision } from './decision-fixtures';
import { sshFailures, startApp, TestApp } from './harness';

const DAY = 86_400_000;

const ingest = async (t: TestApp, events: object[]): Promise<void> => {
  await request(t.server).post('/ingest-log/batch').send(events).expect(202);
};
const actor = (t: TestApp, ip: string): request.Test => request(t.server).get(`/actors/${ip}`);

describe('retention (EVENT_RETENTION, DECISION_RETENTION, AUDIT_RETENTION)', () => {
  let t: TestApp;
  let retention: RetentionService;
  const now = Date.now();
  beforeAll(async () => {
    t = await startApp({ EVENT_RETENTION: '30d', DECISION_RETENTION: '60d', AUDIT_RETENTION: '1d' });
    retention = t.app.get(RetentionService);
  });
  afterAll(() => t.close());

  it('purges events older than EVENT_RETENTION by event time; profiles keep their counts', async () => {
    // 198.51.100.1: only old events. 198.51.100.2: old and recent. 198.51.100.3: only recent.
    await ingest(t, sshFailures('198.51.100.1', 2, now - 40 * DAY));
    await ingest(t, sshFailures('198.51.100.2', 2, now - 40 * DAY));
    await ingest(t, sshFailures('198.51.100.2', 2, now - 60_000));
    await ingest(t, sshFailures('198.51.100.3', 2, now - 60_000));
    // A repeat offender, blocked for failures 40 days ago: its offence count outlives its events.
    await ingest(t, sshFailures('198.51.100.4', 6, now - 40 * DAY));
    expect((await actor(t, '198.51.100.4').expect(200)).body.profile.offenceCount).toBe(1);

    const counts = await retention.runOnce();
    expect(counts).toMatchObject({ events: 2 + 2 + 6, verdicts: 0, actors: 1, decisions: 0, audit: 0 });

    await actor(t, '198.51.100.1').expect(404);
    const mixed = (await actor(t, '198.51.100.2').expect(200)).body;
    expect(mixed.profile).toMatchObject({ eventCount: 4, failureCount: 4 });
    expect(mixed.recentEvents).toHaveLength(2);
    expect(mixed.recentEvents.every((e: { eventTime: string }) => Date.parse(e.eventTime) > now - DAY)).toBe(true);
    expect((await actor(t, '198.51.100.3').expect(200)).body.recentEvents).toHaveLength(2);
    const offender = (await actor(t, '198.51.100.4').expect(200)).body;
    expect(offender.profile).toMatchObject({ eventCount: 6, offenceCount: 1 });
    expect(offender.recentEvents).toEqual([]);
    expect(offender.decision).toMatchObject({ action: 'block' });

    expect(await retention.runOnce()).toMatchObject({ events: 0, actors: 0 });
  });

  it('never purges a decision in force; ended ones go after DECISION_RETENTION, with their trail', async () => {
    const ended = await storeDecision(t, { value: '192.0.2.10', createdAgo: 70 * DAY, expiresIn: -61 * DAY });
    const recent = await storeDecision(t, { value: '192.0.2.11', createdAgo: 10 * DAY, expiresIn: -9 * DAY });
    const longBlock = (await manual(t, { action: 'block', value: '192.0.2.12', duration: '365d' }).expect(201)).body
      .decision;
    const counts = await retention.runOnce();
    expect(counts.decisions).toBe(1);
    const history = await request(t.server).get('/decisions?active=false&limit=200').expect(200);
    const ids = history.body.items.map((d: { id: string }) => d.id);
    expect(ids).not.toContain(ended.id);
    expect(ids).toContain(recent.id);
    const inForce = await request(t.server).get('/decisions?value=192.0.2.12').expect(200);
    expect(inForce.body.items.map((d: { id: string }) => d.id)).toEqual([longBlock.id]);

    // Two days on, audit rows older than a day go, except those of decisions still in force.
    const later = await retention.runOnce(new Date(Date.now() + 2 * DAY));
    expect(later.audit).toBeGreaterThan(0);
    const trail = await request(t.server).get(`/audit?decisionId=${longBlock.id}`).expect(200);
    expect(trail.body.items).toEqual([expect.objectContaining({ change: 'created' })]);
    expect((await request(t.server).get(`/audit?decisionId=${recent.id}`).expect(200)).body.total).toBe(0);

    // A year and more on, the block has ended and everything is gone but what is in force: nothing.
    await retention.runOnce(new Date(Date.now() + 500 * DAY));
    expect((await request(t.server).get('/decisions?active=false&limit=200').expect(200)).body.total).toBe(0);
    expect((await request(t.server).get('/audit').expect(200)).body.total).toBe(0);
    await actor(t, '198.51.100.4').expect(404);
  });

  it('purges more rows than one batch, in several transactions', async () => {
    const old = Array.from({ length: 2 * PURGE_BATCH + 500 }, (_, i) => ({
      timestamp: new Date(now - 45 * DAY + i).toISOString(),
      source_ip: `203.0.113.${i % 200}`,
      event_type: 'http_request',
      message: 'GET / HTTP/1.1',
    }));
    for (let i = 0; i < old.length; i += 3500) {
      await ingest(t, old.slice(i, i + 3500));
    }
    // Ingest goes on while the purge runs: every acknowledged recent event is kept and counted.
    const recent = (k: number): object[] =>
      Array.from({ length: 400 }, (_, i) => ({
        timestamp: new Date(Date.now() - 1000).toISOString(),
        source_ip: `192.0.2.${100 + k}`,
        event_type: 'http_request',
        message: `GET /${i} HTTP/1.1`,
      }));
    const [counts] = await Promise.all([retention.runOnce(), ...[0, 1, 2, 3, 4].map((k) => ingest(t, recent(k)))]);
    expect(counts.events).toBe(2 * PURGE_BATCH + 500);
    for (const k of [0, 1, 2, 3, 4]) {
      const view = (await actor(t, `192.0.2.${100 + k}`).expect(200)).body;
      expect(view.profile.eventCount).toBe(400);
      const stored = await t.app
        .get(DataSource)
        .query('SELECT COUNT(*) AS n FROM events WHERE actor_ip = $1', [`192.0.2.${100 + k}`]);
      expect(Number(stored[0].n)).toBe(400);
    }
    expect((await retention.runOnce()).events).toBe(0);
  }, 60_000);
});

describe('retention settings', () => {
  it.each([
    { setting: 'EVENT_RETENTION', value: '30', message: /EVENT_RETENTION: "30" is not a period/ },
    { setting: 'EVENT_RETENTION', value: '30s', message: /EVENT_RETENTION: must be at least 1m/ },
    { setting: 'DECISION_RETENTION', value: '1d', message: /DECISION_RETENTION: must be at least 7d/ },
    { setting: 'AUDIT_RETENTION', value: 'forever', message: /AUDIT_RETENTION: "forever" is not a period/ },
  ])('$setting=$value stops the start', ({ setting, value, message }) => {
    expect(() => validateEnvironment({ [setting]: value })).toThrow(message);
  });

  it('off keeps everything', async () => {
    const t = await startApp({ EVENT_RETENTION: 'off', DECISION_RETENTION: 'off', AUDIT_RETENTION: 'off' });
    try {
      await ingest(t, sshFailures('198.51.100.9', 2, Date.now() - 4000 * DAY));
      const counts = await t.app.get(RetentionService).runOnce(new Date(Date.now() + 4000 * DAY));
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
      expect((await actor(t, '198.51.100.9').expect(200)).body.recentEvents).toHaveLength(2);
    } finally {
      await t.close();
    }
  });
});
