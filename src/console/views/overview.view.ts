import { html, Html } from '../html';
import { Overview } from '../overview';
import { StoredDecision } from '../../domain/decision';
import { actorLink, badge, utc } from './format';
import { layout, PageContext } from './layout';

export const CHART = { width: 720, height: 140 } as const;

/** Stacked bars, one column a minute; the client redraws it from the same numbers. */
export function minuteChart(series: Overview['eventsPerMinute']): Html {
  const width = series.minutes.length;
  const peak = Math.max(1, ...series.minutes.map((_, i) => series.series.reduce((sum, s) => sum + s.counts[i], 0)));
  const column = CHART.width / Math.max(1, width);
  const bars: Html[] = [];
  series.minutes.forEach((minute, i) => {
    let y = CHART.height;
    series.series.forEach((s, k) => {
      const h = (s.counts[i] / peak) * (CHART.height - 4);
      if (s.counts[i] > 0) {
        y -= h;
        bars.push(
          html`<rect
            class="s${k}"
            x="${(i * column).toFixed(1)}"
            y="${y.toFixed(1)}"
            width="${Math.max(1, column - 1).toFixed(1)}"
            height="${h.toFixed(1)}"
            ><title>${utc(new Date(minute)).slice(11, 16)} ${s.source}: ${s.counts[i]}</title></rect
          >`,
        );
      }
    });
  });
  return html`<svg
      id="chart"
      class="chart"
      viewBox="0 0 ${CHART.width} ${CHART.height}"
      preserveAspectRatio="none"
      role="img"
      aria-label="Events per minute, last hour"
    >
      ${bars}
    </svg>
    <ul id="legend" class="legend">
      ${series.series.map((s, k) => html`<li><span class="swatch s${k}"></span>${s.source}</li>`)}
    </ul>`;
}

export function tallyRows(overview: Overview): Html {
  if (overview.decisions.length === 0) {
    return html`<tr>
      <td colspan="4" class="empty">No decision in force.</td>
    </tr>`;
  }
  return html`${overview.decisions.map(
    (d) =>
      html`<tr>
        <td>${badge(d.action)}</td>
        <td>
          <a
            href="/console/decisions?view=${d.status === 'active' ? 'in-force' : d.status}&amp;rule=${encodeURIComponent(d.ruleId)}"
            >${d.ruleId}</a
          >
        </td>
        <td>${d.status}</td>
        <td class="num">${d.count}</td>
      </tr>`,
  )}`;
}

export function counterRows(overview: Overview): Html {
  if (overview.ingestCounters.length === 0) {
    return html`<tr>
      <td colspan="3" class="empty">No ingest counters in this build's metrics registry yet.</td>
    </tr>`;
  }
  return html`${overview.ingestCounters.map(
    (c) =>
      html`<tr>
        <td><code>${c.name}</code></td>
        <td>${Object.entries(c.labels).map(([k, v]) => html`<span class="label">${k}=${v}</span> `)}</td>
        <td class="num">${c.value}</td>
      </tr>`,
  )}`;
}

export function decisionItems(decisions: StoredDecision[], empty: string): Html {
  if (decisions.length === 0) {
    return html`<li class="empty">${empty}</li>`;
  }
  return html`${decisions.map(
    (d) =>
      html`<li>
        ${badge(d.action)} ${actorLink(d.value)} <span class="muted">${d.ruleId} · ${utc(d.createdAt)}</span>
      </li>`,
  )}`;
}

function card(label: string, live: string, value: string | number, href?: string): Html {
  const inner = html`<span class="card-label">${label}</span
    ><span class="card-value" data-live="${live}">${value}</span>`;
  return href === undefined
    ? html`<div class="card stat">${inner}</div>`
    : html`<a class="card stat" href="${href}">${inner}</a>`;
}

export function overviewPage(
  context: PageContext,
  overview: Overview,
  latest: { inForce: StoredDecision[]; pending: StoredDecision[] },
): Html {
  const inForce = overview.decisions.filter((d) => d.status === 'active').reduce((sum, d) => sum + d.count, 0);
  const llm = overview.llm;
  const body = html` <p class="muted">
      Updated <span data-live="now">${utc(new Date(overview.now))}</span>, every 5 seconds.
    </p>
    <section class="cards">
      ${card('Events, last minute', 'lastMinute', overview.eventsPerMinute.lastMinute)}
      ${card('Events, last hour', 'lastHour', overview.eventsPerMinute.total)}
      ${card('Decisions in force', 'inForce', inForce, '/console/decisions')}
      ${card('Waiting for approval', 'pending', overview.pendingCount, '/console/decisions?view=pending')}
      <div class="card stat">
        <span class="card-label">LLM</span
        ><span class="card-value small" data-live="llm"
          >${llm.provider}${llm.model === null ? '' : ` (${llm.model})`}, breaker ${llm.breaker}, queue
          ${llm.queueDepth}, running ${llm.inFlight}</span
        >
      </div>
    </section>
    <section>
      <h2>Events per minute by source and format, last hour</h2>
      <div id="chart-box">${minuteChart(overview.eventsPerMinute)}</div>
    </section>
    <div class="columns">
      <section>
        <h2>Decisions by action and rule</h2>
        <table>
          <thead>
            <tr>
              <th>Action</th>
              <th>Rule</th>
              <th>Status</th>
              <th class="num">Count</th>
            </tr>
          </thead>
          <tbody id="tallies">
            ${tallyRows(overview)}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Ingest: received, parsed, unparsed</h2>
        <table>
          <thead>
            <tr>
              <th>Counter</th>
              <th>Route, format, reason</th>
              <th class="num">Total</th>
            </tr>
          </thead>
          <tbody id="counters">
            ${counterRows(overview)}
          </tbody>
        </table>
      </section>
    </div>
    <div class="columns">
      <section>
        <h2>Newest decisions in force</h2>
        <ul class="list" id="latest-in-force">
          ${decisionItems(latest.inForce, 'None.')}
        </ul>
      </section>
      <section>
        <h2>Review queue: waiting for approval</h2>
        <ul class="list" id="latest-pending">
          ${decisionItems(latest.pending, 'Nothing waits.')}
        </ul>
      </section>
    </div>
    <form class="card search" method="get" action="/console/actors">
      <label>Why is this address blocked? <input name="ip" placeholder="203.0.113.7" required maxlength="64" /></label>
      <button type="submit">Look up</button>
    </form>`;
  return layout('Overview', context, body, '/console');
}
