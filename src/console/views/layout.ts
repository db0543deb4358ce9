import { html, Html } from '../html';

export interface PageContext {
  operator: string;
  csrf: string;
  /** A message from the last action (after a redirect), shown once. */
  notice?: { kind: 'ok' | 'error'; text: string };
}

const NAV = [
  { href: '/console', label: 'Overview' },
  { href: '/console/decisions', label: 'Decisions' },
  { href: '/console/actors', label: 'Actors' },
  { href: '/console/audit', label: 'Audit log' },
];

/** The page shell: one stylesheet, one script, both from /console/assets (CSP: 'self' only). */
export function layout(title: string, context: PageContext, body: Html, current: string): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · SOC console</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <header class="top">
          <span class="brand">SOC triage</span>
          <nav>
            ${NAV.map((item) => html`<a href="${item.href}" ${item.href === current ? html` aria-current="page"` : ''}>${item.label}</a>`)}
          </nav>
          <form method="post" action="/console/logout" class="signout">
            <input type="hidden" name="_csrf" value="${context.csrf}" />
            <span class="who">${context.operator}</span> <button type="submit">Sign out</button>
          </form>
        </header>
        <main>
          ${context.notice === undefined ? '' : html`<p class="notice notice-${context.notice.kind}" role="status">${context.notice.text}</p>`}
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

/** A hidden CSRF field for a state-changing form. */
export function csrfField(context: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${context.csrf}" />`;
}

export function signInPage(problem: string | null, disabled: boolean): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Sign in · SOC console</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml" />
      </head>
      <body class="signin">
        <main>
          <h1>SOC triage console</h1>
          ${
            disabled
              ? html`<p class="notice notice-error">The console is off: set SOC_ADMIN_TOKEN to use it.</p>`
              : html`${problem === null ? '' : html`<p class="notice notice-error" role="alert">${problem}</p>`}
                  <form method="post" action="/console/login" class="card">
                    <label
                      >Your name (recorded in the audit log)<input
                        name="operator"
                        required
                        maxlength="64"
                        autocomplete="username"
                    /></label>
                    <label
                      >Admin token<input
                        name="token"
                        type="password"
                        required
                        maxlength="512"
                        autocomplete="current-password"
                    /></label>
                    <button type="submit">Sign in</button>
                  </form>`
          }
        </main>
      </body>
    </html>`;
}
