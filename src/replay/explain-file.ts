import { writeSync } from 'node:fs';
import { explainLine } from '../explain/explain-line';
import type { Args } from './args';
import { logEnd } from './log-end';
import { readLines } from './line-reader';
import { newLineStream } from '../ingest/parsers/web-lines';

/**
 * `npm run replay -- <file> --explain`: each line of the file explained as POST /explain
 * explains it (one JSON object per line, in line order, on stdout), read as the replay reads
 * it (the log's own end as `now`, times never clamped). Nothing is stored.
 */
export function explainFile(args: Args): void {
  const now = args.nowGiven ? args.now : logEnd(args.file, args.format, args.now);
  let out = '';
  const stream = newLineStream();
  for (const line of readLines(args.file)) {
    out += `${JSON.stringify(explainLine(line, { now, format: args.format, clampFuture: false, stream }))}\n`;
    if (out.length > 1 << 16) {
      writeSync(1, out);
      out = '';
    }
  }
  writeSync(1, out);
}
