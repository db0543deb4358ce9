import { html, Html, queryString } from '../html';
import { StoredDecision } from '../../domain/decision';
import { DecisionFilter, DecisionView, DECISION_VIEWS, PAGE_SIZE } from '../console.service';
import { actorLink, badge, utc } from './format';
import { csrfField, layout, PageContext } from './layout';

const VIEW_LABELS: Readonly<Record<DecisionView, string>> = {
  'in-force': 'In force',
  pending: 'Pending approval',
  simulated: 'Simulated',
  ended: 'Expired or lifted',
};

/** The forms for what can be done to a decision in this view; every one posts a reason. */
function actions(context: PageContext, d: StoredDecision, view: DecisionView, back: string): Html {
  const form = (path: string, label: string, extra: Html = html``): Html =>
    html`<form method="post" action="/console/decisions/${d.id}/${path}" class="inline">
      ${csrfField(context)}<input type="hidden" name="back" value="${back}" />${extra}<input
        name="reason"
        required
        maxlength="500"
        placeholder="reason"
        aria-label="reason for ${label}"
      />
      <button type="submit" data-action="${path}">${label}</button>
    </form>`;
  switch (view) {
    case 'pending':
      return html`${form('approve', 'Approve')}${form('reject', 'Reject')}`;
    case 'in-force':
      return html`${form('revoke', 'Lift')}${form('extend', 'Extend', html`<input name="duration" required maxlength="16" placeholder="24h" size="5" aria-label="new duration from now" /> `)}`;
    case 'simulated':
    case 'ended':
      return html``;
  }
}

function row(context: PageContext, d: StoredDecision, view: DecisionView, back: string): Html {
  const ended =
    d.revokedAt !== null ? html`lifted ${utc(d.revokedAt)}: ${d.revokeReason ?? ''}` : html`until ${utc(d.expiresAt)}`;
  return html`<tr data-decision="${d.id}">
    <td>${actorLink(d.value)}</td>
    <td>${badge(d.action)}</td>
    <td>${d.ruleId}<br /><span class="muted">${d.origin} · ${d.createdBy}</span></td>
    <td class="reason">${d.reason}</td>
    <td>${utc(d.createdAt)}<br /><span class="muted">${ended}</span></td>
    <td class="actions">${actions(context, d, view, back)}</td>
  </tr>`;
}

export function decisionsPage(
  context: PageContext,
  filter: DecisionFilter,
  page: { total: number; items: StoredDecision[] },
  problem: string | null,
): Html {
  const params = { value: filter.value, rule: filter.ruleId, origin: filter.origin, action: filter.action };
  const back = `/console/decisions${queryString({ view: filter.view, ...params, page: filter.page })}`;
  const tabs = DECISION_VIEWS.map(
    (view) =>
      html`<a
        href="/console/decisions${queryString({ view, ...params })}"
        ${view === filter.view ? html` aria-current="page"` : ''}
        >${VIEW_LABELS[view]}</a
      >`,
  );
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  const pager = (n: number, label: string): Html =>
    n < 1 || n > pages
      ? html``
      : html`<a href="/console/decisions${queryString({ view: filter.view, ...params, page: n })}">${label}</a>`;
  const select = (name: string, options: string[], current: string | undefined): Html =>
    html`<select name="${name}">
      <option value="">any ${name}</option>
      ${options.map((o) => html`<option${o === current ? html` selected` : ''}>${o}</option>`)}
    </select>`;
  const body = html` <nav class="tabs">${tabs}</nav>
    <form method="get" action="/console/decisions" class="filters">
      <input type="hidden" name="view" value="${filter.view}" />
      <input
        name="value"
        value="${filter.value ?? ''}"
        placeholder="address or CIDR"
        maxlength="64"
        aria-label="address or CIDR"
      />
      <input name="rule" value="${filter.ruleId ?? ''}" placeholder="rule id" maxlength="64" aria-label="rule id" />
      ${select('origin', ['policy', 'llm', 'manual'], filter.origin)}
      ${select('action', ['block', 'alert', 'monitor', 'allow'], filter.action)}
      <button type="submit">Filter</button>
    </form>
    ${problem === null ? '' : html`<p class="notice notice-error" role="alert">${problem}</p>`}
    <p class="muted">
      ${page.total} decision(s). Page ${filter.page} of ${pages}. ${pager(filter.page - 1, '← newer')}
      ${pager(filter.page + 1, 'older →')}
    </p>
    <table class="decisions">
      <thead>
        <tr>
          <th>Address</th>
          <th>Action</th>
          <th>Rule</th>
          <th>Reason</th>
          <th>Made / ends</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${
          page.items.length === 0
            ? html`<tr>
                <td colspan="6" class="empty">None.</td>
              </tr>`
            : page.items.map((d) => row(context, d, filter.view, back))
        }
      </tbody>
    </table>`;
  return layout('Decisions', context, body, '/console/decisions');
}
