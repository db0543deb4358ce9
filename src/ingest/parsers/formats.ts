/** The line formats the parsers read, each of which a caller may force (`?format=`, `--format`). */
export const LINE_FORMATS = [
  'json',
  'cef',
  'leef',
  'syslog5424',
  'syslog3164',
  'access',
  'sshd',
  // ---- web formats (issue 14)
  'haproxy',
  'alb',
  'iis',
  'apache_error',
  'nginx_error',
] as const;

export type LineFormat = (typeof LINE_FORMATS)[number];

/** For validating a forced `?format=`. */
export function isLineFormat(value: unknown): value is LineFormat {
  return typeof value === 'string' && (LINE_FORMATS as readonly string[]).includes(value);
}
