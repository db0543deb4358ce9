import { newLineStream } from '../ingest/parsers/web-lines';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LineFormat } from '../ingest/parsers/formats';
import { parseLine } from '../ingest/parsers/line';
import { YEARLESS_AHEAD_MS } from '../ingest/parsers/time';

/** How much of a log's end is read to find its last time stamp. */
const TAIL_BYTES = 64 * 1024;

/**
 * The time a replay takes as `now`: the latest event time written in the last 64 KiB of the
 * log, its year-less stamps (BSD syslog) placed in the latest year that puts them no later
 * than `wallClock`. Every line is then read against that `now`, so a year-less log ends in the
 * past and its lines keep their order across a New Year; and since the replay never clamps
 * event times, the same file gives the same events, and verdicts, on any day it runs. A log
 * with no time in its tail gives `wallClock`.
 */
export function logEnd(file: string, format: LineFormat | undefined, wallClock: Date): Date {
  const fd = openSync(file, 'r');
  let text: string;
  let whole: boolean;
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    text = buffer.toString('utf8');
    whole = length === size;
  } finally {
    closeSync(fd);
  }
  const lines = text.split(/\r\n|\n|\r/);
  // Before YEARLESS_AHEAD_MS, so that inferYear (which allows stamps that far ahead) never
  // places a stamp after the wall clock.
  const reference = new Date(wallClock.getTime() - YEARLESS_AHEAD_MS);
  let latest = -Infinity;
  const stream = newLineStream();
  for (const line of whole ? lines : lines.slice(1)) {
    if (line.trim() === '') {
      continue;
    }
    const parsed = parseLine(line, { now: reference, format, clampFuture: false, stream });
    const time = parsed.ok ? parsed.event.eventTime.getTime() : NaN;
    // A line without a time of its own gets `reference`: it says nothing about the log's end.
    if (time > latest && time !== reference.getTime()) {
      latest = time;
    }
  }
  return Number.isFinite(latest) ? new Date(latest) : wallClock;
}
