import { FastifyReply } from 'fastify';
import { Html } from './html';

/**
 * Headers on every console response (set by the module's onSend hook for /console): nothing
 * but the console's own script and stylesheet may load, no frame may hold it, no page is cached.
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on the console's own forms.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function sendPage(reply: FastifyReply, page: Html, status = 200): void {
  void reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page.text);
}

/** A redirect after a form post (303: the browser follows with GET). */
export function seeOther(reply: FastifyReply, location: string): void {
  void reply.status(303).header('cache-control', 'no-store').header('location', location).send();
}

/** A `back` address from a form, kept only if it is a console page on this host. */
export function consolePath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/console(\/[\w\-./%]*)?(\?[\w\-.%&=+]*)?$/.test(value) && !value.includes('//')
    ? value
    : fallback;
}
