import request from 'supertest';
import { MemoryService } from '../src/memory/memory.service';
import { StoredDecision } from '../src/memory/records';
import { startApp, TestApp } from './harness';

function manualBlock(value: string, now: Date): StoredDecision {
  return {
    id: '0190c9a8-0000-7000-8000-000000000001',
    scope: 'ip',
    value,
    action: 'block',
    origin: 'manual',
    status: 'active',
    createdBy: 'test',
    ruleId: 'manual',
    reason: 'test block',
    verdictId: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    revokedAt: null,
    revokeReason: null,
  };
}

describe('MemoryService.transact', () => {
  let t: TestApp;
  let memory: MemoryService;
  beforeAll(async () => {
    t = await startApp();
    memory = t.app.get(MemoryService);
  });
  afterAll(() => t.close());

  it('commits a job with its audit row and serves the result', async () => {
    const id = await memory.transact(async (tx) => {
      await tx.insertDecision(manualBlock('192.0.2.200', tx.now));
      return 'done';
    });
    expect(id).toBe('done');
    const list = await request(t.server).get('/decisions').expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ value: '192.0.2.200', origin: 'manual', createdBy: 'test' }),
    ]);
  });

  it('rolls back only the failing job, not the events committed in the same flush', async () => {
    const failing = memory.transact(async (tx) => {
      await tx.insertDecision({ ...manualBlock('192.0.2.201', tx.now), id: '0190c9a8-0000-7000-8000-000000000002' });
      throw new Error('refused');
    });
    const ingest = request(t.server).post('/ingest-log').send({ source_ip: '192.0.2.202' });
    await expect(failing).rejects.toThrow('refused');
    expect((await ingest).status).toBe(202);
    await request(t.server).get('/actors/192.0.2.202').expect(200);
    const list = await request(t.server).get('/decisions').expect(200);
    expect(list.body.items.map((d: { value: string }) => d.value)).not.toContain('192.0.2.201');
  });
});
