import request from 'supertest';
import { MemoryService } from '../src/memory/memory.service';
import { StoredDecision } from '../src/domain/decision';
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

  it('reads through the API see only committed writes, never a transaction in progress', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written = (): void => undefined;
    const inside = new Promise<void>((resolve) => (written = resolve));
    const job = memory.transact(async (tx) => {
      await tx.insertDecision({ ...manualBlock('192.0.2.210', tx.now), id: '0190c9a8-0000-7000-8000-000000000010' });
      written();
      await gate;
      throw new Error('rolled back');
    });
    await inside;
    const values = async (path: string): Promise<string[]> =>
      ((await request(t.server).get(path).expect(200)).body.items as { value: string }[]).map((d) => d.value);
    try {
      // The block is written but not committed: no read may show it, least of all the
      // blocklist that firewalls import.
      expect(await values('/decisions')).not.toContain('192.0.2.210');
      expect(await values('/decisions?active=false')).not.toContain('192.0.2.210');
      expect((await request(t.server).get('/decisions/blocklist').expect(200)).text).not.toContain('192.0.2.210');
    } finally {
      release();
    }
    await expect(job).rejects.toThrow('rolled back');
    expect(await values('/decisions')).not.toContain('192.0.2.210');
  });
});
