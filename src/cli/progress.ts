/** How far a replay has got. */
export interface Progress {
  lines: number;
  total: number;
  elapsedMs: number;
}

const number = (n: number): string => Math.round(n).toLocaleString('en-US');

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Lines per second so far (0 before any time has passed). */
export function rate(progress: Progress): number {
  return progress.elapsedMs <= 0 ? 0 : (progress.lines / progress.elapsedMs) * 1000;
}

/**
 * One line of a terminal progress bar: bar, percentage, lines, lines/s and ETA, fitted to
 * `columns`. The ETA is the lines left at the rate so far; unknown until something was read.
 */
export function progressLine(progress: Progress, columns: number): string {
  const fraction = progress.total <= 0 ? 1 : Math.min(1, progress.lines / progress.total);
  const speed = rate(progress);
  const eta = speed > 0 ? clock((progress.total - progress.lines) / speed) : '--:--';
  const text = ` ${(fraction * 100).toFixed(1).padStart(5)}%  ${number(progress.lines)}/${number(progress.total)} lines  ${number(speed)} lines/s  ETA ${eta}`;
  const width = Math.max(10, Math.min(40, columns - text.length - 2));
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${text}`.slice(0, Math.max(columns - 1, 20));
}

/** The plain line printed once at the end (and the only one when stderr is not a terminal). */
export function summaryLine(progress: Progress): string {
  return `replayed ${number(progress.lines)} lines in ${(progress.elapsedMs / 1000).toFixed(1)} s (${number(rate(progress))} lines/s)`;
}
