import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { isLineFormat, LineFormat } from '../ingest/parsers/formats';
import { newLineStream } from '../ingest/parsers/web-lines';
import { explainLine, LineExplanation } from './explain-line';

export const MAX_EXPLAIN_LINES = 10_000;

/** Splits a body into lines (LF or CRLF); a final newline does not make an extra line. */
export function explainableLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/** `POST /explain`: the parsers and detectors on each line; nothing stored, nothing decided. */
@Injectable()
export class ExplainService {
  explainText(body: unknown, format: string | undefined, now = new Date()): LineExplanation[] {
    if (typeof body !== 'string') {
      throw new BadRequestException('send text/plain: one event per line');
    }
    const forced = this.checkFormat(format);
    const lines = explainableLines(body);
    if (body === '') {
      throw new BadRequestException('no lines');
    }
    if (lines.length > MAX_EXPLAIN_LINES) {
      throw new PayloadTooLargeException(`the body holds ${lines.length} lines; the limit is ${MAX_EXPLAIN_LINES}`);
    }
    const stream = newLineStream();
    return lines.map((line) => explainLine(line, { now, format: forced, stream }));
  }

  private checkFormat(format: string | undefined): LineFormat | undefined {
    if (format === undefined || format === '' || format === 'auto') {
      return undefined;
    }
    if (!isLineFormat(format)) {
      throw new BadRequestException(`unknown format "${format.slice(0, 32)}"`);
    }
    return format;
  }
}
