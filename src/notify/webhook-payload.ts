import { createHmac } from 'node:crypto';
import { DecisionNotice } from '../memory/write-observer';
import { WebhookFormat, WebhookKind, WebhookSettings } from '../config/webhook-settings';

/** The header that carries `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'X-SOC-Signature';

export type WebhookEventType = 'decision.created' | 'decision.approved';

/** What a notice is filtered as: `pending` for a decision that waits for an analyst, else its action. */
export function kindOf(notice: DecisionNotice): WebhookKind | null {
  switch (notice.decision.status) {
    case 'pending':
      return 'pending';
    case 'active':
      return notice.decision.action;
    case 'simulated':
    case 'rejected':
      return null;
  }
}

/** Simulated and rejected decisions never notify; the rest by WEBHOOK_ACTIONS and WEBHOOK_RULES. */
export function wanted(notice: DecisionNotice, settings: Pick<WebhookSettings, 'kinds' | 'rules'>): boolean {
  const kind = kindOf(notice);
  return (
    kind !== null && settings.kinds.has(kind) && (settings.rules === null || settings.rules.has(notice.decision.ruleId))
  );
}

/** The JSON body's decision: what a receiver needs to act, no more (no verdict, no events). */
function decisionBody(notice: DecisionNotice) {
  const d = notice.decision;
  return {
    id: d.id,
    action: d.action,
    status: d.status,
    scope: d.scope,
    value: d.value,
    origin: d.origin,
    ruleId: d.ruleId,
    reason: d.reason,
    createdBy: d.createdBy,
    createdAt: d.createdAt.toISOString(),
    expiresAt: d.expiresAt.toISOString(),
  };
}

export function eventType(notice: DecisionNotice): WebhookEventType {
  return notice.change === 'approved' ? 'decision.approved' : 'decision.created';
}

/** Slack's mrkdwn needs only &, < and > escaped; anything else is shown as typed. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slackText(notice: DecisionNotice): string {
  const d = notice.decision;
  const what =
    d.status === 'pending'
      ? `:hourglass: *${d.action} pending approval*`
      : notice.change === 'approved'
        ? `:white_check_mark: *${d.action} approved*`
        : `${d.action === 'block' ? ':no_entry:' : ':warning:'} *${d.action}*`;
  return slackEscape(
    `${what} ${d.scope} \`${d.value}\` until ${d.expiresAt.toISOString()} (rule \`${d.ruleId}\`, ${d.origin}, by ${d.createdBy}): ${d.reason}`,
  );
}

/** The body posted for one notice: our JSON document, or a Slack incoming-webhook message. */
export function webhookBody(notice: DecisionNotice, format: WebhookFormat, deliveryId: string, now: Date): string {
  if (format === 'slack') {
    return JSON.stringify({ text: slackText(notice) });
  }
  return JSON.stringify({
    id: deliveryId,
    type: eventType(notice),
    sentAt: now.toISOString(),
    decision: decisionBody(notice),
  });
}

/**
 * Stripe's scheme: the timestamp is signed with the body, so a captured request cannot be
 * replayed later (receivers refuse a `t` more than a few minutes old) nor its body changed.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
