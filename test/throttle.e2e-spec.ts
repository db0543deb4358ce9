import request from 'supertest';
import { startApp, TestApp } from './harness';

const EVENT = { source_ip: '192.0.2.10' };

describe('rate limit (INGEST_RATE_LIMIT per client address)', () => {
  describe('without TRUST_PROXY', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ INGEST_RATE_LIMIT: '3' });
    });
    afterAll(() => t.close());

    it('answers 429 with Retry-After past the limit, shared across ingest routes, and ignores a spoofed X-Forwarded-For', async () => {
      await request(t.server).post('/ingest-log').send(EVENT).expect(202);
      await request(t.server).post('/ingest-log/batch').send([EVENT]).expect(202);
      await request(t.server).post('/ingest-log').set('X-Forwarded-For', '198.51.100.1').send(EVENT).expect(202);
      const limited = await request(t.server)
        .post('/ingest-log')
        .set('X-Forwarded-For', '198.51.100.2')
        .send(EVENT)
        .expect(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      // A sliding window: the rest of this minute, then until its 3 hits weigh less than 2 (20 s).
      expect(retryAfter).toBeLessThanOrEqual(80);
      await request(t.server).post('/ingest-log/batch').send([EVENT]).expect(429);
    });

    it('does not throttle health or the read API', async () => {
      await request(t.server).get('/health').expect(200);
      await request(t.server).get('/decisions').expect(200);
    });
  });

  describe('with TRUST_PROXY naming the proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ INGEST_RATE_LIMIT: '2', TRUST_PROXY: '127.0.0.1, ::1' });
    });
    afterAll(() => t.close());

    it('counts each forwarded client separately', async () => {
      for (const client of ['198.51.100.1', '198.51.100.1']) {
        await request(t.server).post('/ingest-log').set('X-Forwarded-For', client).send(EVENT).expect(202);
      }
      await request(t.server).post('/ingest-log').set('X-Forwarded-For', '198.51.100.1').send(EVENT).expect(429);
      await request(t.server).post('/ingest-log').set('X-Forwarded-For', '198.51.100.2').send(EVENT).expect(202);
    });

    it('believes only the hop the trusted proxy added, not what the client wrote before it', async () => {
      // The client prepends a fake address; the proxy appends the real one. The real one is counted.
      await request(t.server)
        .post('/ingest-log')
        .set('X-Forwarded-For', '10.9.9.9, 198.51.100.3')
        .send(EVENT)
        .expect(202);
      await request(t.server)
        .post('/ingest-log')
        .set('X-Forwarded-For', '10.9.9.8, 198.51.100.3')
        .send(EVENT)
        .expect(202);
      await request(t.server)
        .post('/ingest-log')
        .set('X-Forwarded-For', '10.9.9.7, 198.51.100.3')
        .send(EVENT)
        .expect(429);
    });
  });
});
