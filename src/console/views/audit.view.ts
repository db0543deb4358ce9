import { html, Html, queryString } from '../html';
import { AuditEntry } from '../../memory/enforcement-records';
import { PAGE_SIZE } from '../console.service';
import { actorLink, badge, utc } from './format';
import { layout, PageContext } from './layout';

export function auditPage(
  context: PageContext,
  filter: { value?: string; who?: string; page: number },
  page: { total: number; items: AuditEntry[] },
  problem: string | null,
): Html {
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  const link = (n: number, label: string): Html =>
    n < 1 || n > pages
      ? html``
      : html`<a href="/console/audit${queryString({ value: filter.value, who: filter.who, page: n })}">${label}</a>`;
  const rows = page.items.map(
    (a) =>
      html`<tr>
        <td>${utc(a.at)}</td>
        <td>${a.who}</td>
        <td>${badge(a.change)}</td>
        <td>
          ${a.decision === null ? html`<code>${a.decisionId}</code>` : html`${badge(a.decision.action)} ${actorLink(a.decision.value)} <span class="muted">${a.decision.ruleId} · ${a.decision.origin}</span>`}
        </td>
        <td class="reason">${a.reason}</td>
      </tr>`,
  );
  const body = html` <form method="get" action="/console/audit" class="filters">
      <input
        name="value"
        value="${filter.value ?? ''}"
        placeholder="address or CIDR"
        maxlength="64"
        aria-label="address or CIDR"
      />
      <input name="who" value="${filter.who ?? ''}" placeholder="who" maxlength="64" aria-label="who" />
      <button type="submit">Filter</button>
    </form>
    ${problem === null ? '' : html`<p class="notice notice-error" role="alert">${problem}</p>`}
    <p class="muted">
      ${page.total} entr${page.total === 1 ? 'y' : 'ies'}. Page ${filter.page} of ${pages}.
      ${link(filter.page - 1, '← newer')} ${link(filter.page + 1, 'older →')}
    </p>
    <table>
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>Change</th>
          <th>Decision</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td colspan="5" class="empty">Nothing.</td>
              </tr>`
            : rows
        }
      </tbody>
    </table>`;
  return layout('Audit log', context, body, '/console/audit');
}
