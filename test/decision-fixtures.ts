import request from 'supertest';
import { v7 as timeOrderedId } from 'uuid';
import { MemoryService } from '../src/memory/memory.service';
import { StoredDecision } from '../src/domain/decision';
import { TestApp } from './harness';

export const BY = 'alice';
export const HOUR = 3600 * 1000;

/**
 * Stores a decision as another writer would (the LLM reviewer's pending proposals, a range
 * ban, one that has already expired), through MemoryService.transact. Times are relative to
 * the write: `createdAgo` and `expiresIn` in milliseconds.
 */
export async function storeDecision(
  t: TestApp,
  fields: Partial<StoredDecision> & { value: string; createdAgo?: number; expiresIn?: number },
): Promise<StoredDecision> {
  const { createdAgo = 0, expiresIn = HOUR, ...rest } = fields;
  return t.app.get(MemoryService).transact(async (tx) => {
    const createdAt = new Date(tx.now.getTime() - createdAgo);
    const decision: StoredDecision = {
      id: timeOrderedId(),
      scope: rest.value.includes('/') ? 'range' : 'ip',
      status: 'active',
      createdBy: 'policy',
      action: 'block',
      origin: 'policy',
      ruleId: 'ssh-brute-force',
      reason: 'fixture',
      verdictId: null,
      revokedAt: null,
      revokeReason: null,
      ...rest,
      createdAt,
      expiresAt: new Date(tx.now.getTime() + expiresIn),
    };
    await tx.insertDecision(decision);
    return decision;
  });
}

/** POST /decisions with an operator and a reason; returns the response. */
export function manual(
  t: TestApp,
  body: { action: 'block' | 'allow'; value: string; duration?: string },
  headers: Record<string, string> = {},
): request.Test {
  return request(t.server)
    .post('/decisions')
    .set(headers)
    .send({ duration: '4h', reason: 'test', by: BY, ...body });
}
