/** Where a command writes: stdout for results, stderr for progress and warnings. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  json: boolean;
}

/**
 * Terminal control characters in a value from the service (a reason, a log line) are shown
 * as code points: what the service stored cannot move the cursor or recolour the terminal.
 */
export function printable(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`,
  );
}

/** Rows as aligned columns, headed; cells made printable. */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = rows.map((row) => row.map(printable));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => Math.min(60, row[i].length))));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.slice(0, 60).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** A result: JSON as received with --json, otherwise the human rendering. */
export function emit(io: Io, data: unknown, human: () => string): void {
  io.out(io.json ? JSON.stringify(data, null, 2) : human());
}
