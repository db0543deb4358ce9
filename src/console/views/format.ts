import { html, Html } from '../html';

/** A time as UTC, to the second: what an analyst compares with log lines. */
export function utc(date: Date | null): string {
  return date === null
    ? ''
    : date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Untrusted text (a log line, a user agent, a URL) made safe to read: control characters and
 * bidirectional overrides shown as code points (a line cannot rewrite the page or reorder
 * what is seen), and cut to `max` characters. Escaping for HTML happens in `html` as always.
 */
export function displayText(text: string | null, max = 300): string {
  if (text === null) {
    return '';
  }
  const visible = text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`,
  );
  return visible.length > max ? `${visible.slice(0, max)}… (${visible.length} chars)` : visible;
}

/** A link to an actor's page when the value is an address (not a range). */
export function actorLink(value: string): Html {
  return value.includes('/')
    ? html`<code>${value}</code>`
    : html`<a href="/console/actors/${encodeURIComponent(value)}"><code>${value}</code></a>`;
}

export function badge(kind: string): Html {
  return html`<span class="badge badge-${kind.replace(/[^a-z_-]/g, '')}">${kind}</span>`;
}
