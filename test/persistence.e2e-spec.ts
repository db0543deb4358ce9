import request from 'supertest';
import { lastingStore, sshFailures } from './harness';

describe('persistence on the same store (SQLite file or PostgreSQL database) across restarts', () => {
  let store: Awaited<ReturnType<typeof lastingStore>>;
  beforeAll(async () => (store = await lastingStore()));
  afterAll(() => store.remove());

  it('keeps events, the actor and its block across a restart, and keeps counting', async () => {
    const first = await store.start();
    await request(first.server).post('/ingest-log/batch').send(sshFailures('203.0.113.7', 5)).expect(202);
    await first.close();

    const second = await store.start();
    try {
      const decisions = await request(second.server).get('/decisions').expect(200);
      expect(decisions.body.items).toEqual([
        expect.objectContaining({ value: '203.0.113.7', action: 'block', ruleId: 'ssh-brute-force' }),
      ]);
      const actor = await request(second.server).get('/actors/203.0.113.7').expect(200);
      expect(actor.body.profile).toMatchObject({ eventCount: 5, failureCount: 5, offenceCount: 1 });
      const more = await request(second.server).post('/ingest-log').send(sshFailures('203.0.113.7', 1)[0]).expect(202);
      expect(more.body.decision).toMatchObject({ action: 'block' });
      const after = await request(second.server).get('/actors/203.0.113.7').expect(200);
      expect(after.body.profile.eventCount).toBe(6);
    } finally {
      await second.close();
    }
  });

  it('commits every acknowledged event under concurrent load (group commit)', async () => {
    const app = await store.start();
    try {
      const sends = Array.from({ length: 200 }, (_, i) =>
        request(app.server)
          .post('/ingest-log')
          .send({ source_ip: `198.51.100.${i % 20}`, event_type: 'http_request', url: `/page/${i}` }),
      );
      const answers = await Promise.all(sends);
      expect(answers.every((answer) => answer.status === 202)).toBe(true);
      const ids = new Set(answers.map((answer) => answer.body.id as string));
      expect(ids.size).toBe(200);
      let total = 0;
      for (let i = 0; i < 20; i += 1) {
        total += (await request(app.server).get(`/actors/198.51.100.${i}`).expect(200)).body.profile.eventCount;
      }
      expect(total).toBe(200);
    } finally {
      await app.close();
    }
  });
});
