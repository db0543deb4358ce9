import { actorScope } from '../../common/actor-key';
import { html, Html } from '../html';
import { ActorPage } from '../console.service';
import { actorLink, badge, displayText, utc } from './format';
import { csrfField, layout, PageContext } from './layout';

interface TimelineItem {
  at: Date;
  kind: 'event' | 'verdict' | 'decision' | 'audit' | 'feedback';
  body: Html;
}

function field(label: string, value: string | number | null | undefined, max?: number): Html {
  return value === null || value === undefined || value === ''
    ? html``
    : html`<span class="field"
        ><span class="muted">${label}</span> <code>${displayText(String(value), max)}</code></span
      > `;
}

function timeline(page: ActorPage): TimelineItem[] {
  const items: TimelineItem[] = [
    ...page.events.map((e) => ({
      at: e.eventTime,
      kind: 'event' as const,
      body: html`${e.eventType ?? 'event'} ${badge(e.outcome)} ${e.signals.map((s) => badge(s))}<br />
        ${e.matches.map(
          (m) =>
            html`<div class="match">
              ${badge(m.signal)} rule <code>${m.ruleId}</code> on <span class="muted">${m.field}</span> matched
              <code>${displayText(m.matched, 200)}</code>
            </div>`,
        )}
        ${field('host', e.host)}${field('user', e.user)}${field('method', e.httpMethod)}${field('url', e.url)}${field('status', e.httpStatus)}${field('port', e.sourcePort)}${field('agent', e.userAgent, 120)}
        ${e.message === null ? '' : html`<div class="line">${displayText(e.message)}</div>`}
        ${
          e.original === null || e.original === e.message
            ? ''
            : html`<details>
                <summary>as received</summary>
                <div class="line">${displayText(e.original, 2000)}</div>
              </details>`
        }`,
    })),
    ...page.verdicts.map((v) => ({
      at: v.createdAt,
      kind: 'verdict' as const,
      body: html`${badge(v.level)} score ${v.score}, confidence ${v.confidence} by
        ${v.provider}${v.model === undefined || v.model === null ? '' : ` (${v.model})`}
        ${v.categories.map((c) => badge(c))} ${v.techniques.map((t) => html`<code>${t}</code> `)}
        <div class="rationale">${v.rationale}</div>`,
    })),
    ...page.decisions.map((d) => ({
      at: d.createdAt,
      kind: 'decision' as const,
      body: html`${badge(d.action)} ${badge(d.status)} rule <strong>${d.ruleId}</strong> (${d.origin}, ${d.createdBy})
        until ${utc(d.expiresAt)}${d.revokedAt === null ? '' : html`, lifted ${utc(d.revokedAt)}`}
        <div class="rationale">${d.reason}</div>`,
    })),
    ...page.audit.map((a) => ({
      at: a.at,
      kind: 'audit' as const,
      body: html`${a.change} by
        <strong>${a.who}</strong>${a.decision === null ? '' : html` (${a.decision.action} ${a.decision.ruleId})`}:
        ${a.reason}`,
    })),
    ...page.feedback.map((f) => ({
      at: f.createdAt,
      kind: 'feedback' as const,
      body: html`${badge(f.verdict)} by <strong>${f.who}</strong>:
        ${f.note}${f.revokedDecisionIds.length === 0 ? '' : ` (lifted ${f.revokedDecisionIds.length} decision(s))`}`,
    })),
  ];
  return items.sort((a, b) => b.at.getTime() - a.at.getTime());
}

export function actorPage(context: PageContext, page: ActorPage): Html {
  const p = page.profile;
  const signals = Object.entries(p.signalCounts).map(([s, n]) => html`${badge(s)} ${n} `);
  const verdict = page.verdicts[0];
  const scope = actorScope(p.ip);
  const body = html` <section class="card why">
      <h2>
        Why ${actorLink(p.ip)}${scope === 'ip' ? '' : html` <span class="muted">(${scope})</span>`}
        ${page.inForce === null ? 'is not blocked' : page.inForce.action === 'block' ? 'is blocked' : `has ${page.inForce.action}`}
      </h2>
      ${page.inForce === null ? html`<p>No decision in force.</p>` : html`<p>${badge(page.inForce.action)} by rule <strong>${page.inForce.ruleId}</strong> (${page.inForce.origin}) until ${utc(page.inForce.expiresAt)}: ${page.inForce.reason}</p>`}
      ${verdict === undefined ? '' : html`<p>Latest verdict: ${badge(verdict.level)} score ${verdict.score} by ${verdict.provider}: ${verdict.rationale}</p>`}
      <p class="summary">${page.summary}</p>
      <p class="muted">
        ${p.eventCount} events (${p.failureCount} failures), ${p.userHashes.length} user names, ${p.pathHashes.length}
        paths, seen ${utc(p.firstSeen)} to ${utc(p.lastSeen)}, ${p.offenceCount} block(s) earned. ${signals}
      </p>
    </section>
    ${scope === 'ip' ? feedbackForm(context, p.ip) : html`<p class="muted">${scope === 'local' ? 'A local account: counted and shown, never blocked.' : 'A host name: alerted on; blocked only as the addresses it resolves to (RESOLVE_HOSTNAMES).'}</p>`}
    <h2>Timeline</h2>
    <ol class="timeline">
      ${timeline(page).map((item) => html`<li class="t-${item.kind}"><time>${utc(item.at)}</time> <span class="kind">${item.kind}</span> ${item.body}</li>`)}
    </ol>`;
  return layout(`Actor ${p.ip}`, context, body, '/console/actors');
}

export function actorLookupPage(context: PageContext, problem: string | null): Html {
  const body = html`${problem === null ? '' : html`<p class="notice notice-error" role="alert">${problem}</p>`}
    <form class="card search" method="get" action="/console/actors">
      <label>Address <input name="ip" placeholder="203.0.113.7" required maxlength="64" autofocus /></label>
      <button type="submit">Look up</button>
    </form>`;
  return layout('Actors', context, body, '/console/actors');
}

function feedbackForm(context: PageContext, ip: string): Html {
  return html`<section class="card">
    <h2>Feedback</h2>
    <form method="post" action="/console/actors/${encodeURIComponent(ip)}/feedback" class="inline">
      ${csrfField(context)}
      <select name="verdict" aria-label="verdict">
        <option value="true_positive">True positive: rightly judged</option>
        <option value="false_positive">False positive: lifts what is in force</option>
      </select>
      <input name="note" required maxlength="500" placeholder="note" aria-label="note" />
      <button type="submit">Send</button>
    </form>
  </section>`;
}
