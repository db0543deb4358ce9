export const MAX_MATCHED = 200;

/** Untrusted text as explain shows it: no control characters, at most MAX_MATCHED characters. */
export function shownText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return clean.length <= MAX_MATCHED ? clean : `${clean.slice(0, MAX_MATCHED - 1)}…`;
}
