import { AdminClient } from './client';
import { emit, Io, table } from './output';

export interface DecisionView {
  id: string;
  scope: string;
  value: string;
  action: string;
  origin: string;
  status: string;
  createdBy: string;
  ruleId: string;
  reason: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokeReason: string | null;
}

export function decisionTable(items: DecisionView[]): string {
  return table(
    ['ID', 'VALUE', 'ACTION', 'STATUS', 'RULE', 'ORIGIN', 'EXPIRES', 'REASON'],
    items.map((d) => [
      d.id,
      d.value,
      d.action,
      d.revokedAt === null ? d.status : 'revoked',
      d.ruleId,
      d.origin,
      d.expiresAt,
      d.reason,
    ]),
  );
}

export interface ListOptions {
  all?: boolean;
  status?: string;
  action?: string;
  origin?: string;
  scope?: string;
  value?: string;
  limit?: string;
  offset?: string;
}

export async function listDecisions(client: AdminClient, io: Io, options: ListOptions): Promise<void> {
  const query = new URLSearchParams();
  if (options.all === true) {
    query.set('active', 'false');
  }
  for (const key of ['status', 'action', 'origin', 'scope', 'value', 'limit', 'offset'] as const) {
    if (options[key] !== undefined) {
      query.set(key, options[key]);
    }
  }
  const text = query.toString();
  const page = await client.request<{ total: number; items: DecisionView[] }>(
    'GET',
    `/decisions${text === '' ? '' : `?${text}`}`,
  );
  emit(io, page, () =>
    page.items.length === 0
      ? 'No decision matches.'
      : `${decisionTable(page.items)}\n(${page.items.length} of ${page.total})`,
  );
}

export async function addDecision(
  client: AdminClient,
  io: Io,
  value: string,
  options: { action: string; duration: string; reason: string; by: string },
): Promise<void> {
  const result = await client.request<{ decision: DecisionView; revoked: DecisionView[] }>('POST', '/decisions', {
    action: options.action,
    value,
    duration: options.duration,
    reason: options.reason,
    by: options.by,
  });
  emit(io, result, () => {
    const lines = [
      `${result.decision.action} ${result.decision.value} until ${result.decision.expiresAt} (${result.decision.id})`,
    ];
    if (result.revoked.length > 0) {
      lines.push(`revoked ${result.revoked.length} block(s) it covers:`, decisionTable(result.revoked));
    }
    return lines.join('\n');
  });
}

/** delete (revoke), approve or reject: one id, a reason, an operator. */
export async function changeDecision(
  client: AdminClient,
  io: Io,
  change: 'delete' | 'approve' | 'reject',
  id: string,
  options: { reason: string; by: string },
): Promise<void> {
  const body = { reason: options.reason, by: options.by };
  const decision =
    change === 'delete'
      ? await client.request<DecisionView>('DELETE', `/decisions/${encodeURIComponent(id)}`, body)
      : await client.request<DecisionView>('POST', `/decisions/${encodeURIComponent(id)}/${change}`, body);
  const done = { delete: 'revoked', approve: 'approved', reject: 'rejected' }[change];
  emit(
    io,
    decision,
    () =>
      `${done} ${decision.action} on ${decision.value} (${decision.id}), now ${decision.revokedAt === null ? decision.status : 'revoked'}`,
  );
}
