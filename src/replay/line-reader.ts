import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Bytes read at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The lines of a file, read synchronously a chunk at a time: the lines node:readline gives
 * (with `crlfDelay: Infinity`), without a promise per line. UTF-8, a character split between
 * two chunks decoded whole; a CR at the end of a chunk waits for the next, in case an LF
 * follows it. The last line is given even without a break after it. The file is closed when
 * the lines run out or the caller stops early (`return`, or `break` out of a for-of).
 */
export function* readLines(file: string, chunkBytes = CHUNK_BYTES): Generator<string, void, undefined> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const decoder = new StringDecoder('utf8');
    // A line break as readline sees one: CR LF, LF, or a CR alone.
    const breaks = /\r\n|\n|\r/g;
    let pending = '';
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      const text = pending + (read === 0 ? decoder.end() : decoder.write(buffer.subarray(0, read)));
      // Until the end, a last CR stays pending: an LF may begin the next chunk.
      const end = read > 0 && text.endsWith('\r') ? text.length - 1 : text.length;
      let start = 0;
      breaks.lastIndex = 0;
      for (let match = breaks.exec(text); match !== null && match.index < end; match = breaks.exec(text)) {
        yield text.slice(start, match.index);
        start = match.index + match[0].length;
      }
      pending = text.slice(start);
      if (read === 0) {
        if (pending !== '') {
          yield pending;
        }
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}
