/**
 * RFC 6587 framing for syslog over TCP, decided per message: octet counting
 * (`<length> <message>`, what RFC 5425 and syslog-ng's `syslog()` driver use) when the frame
 * starts with a digit, else non-transparent framing (a message ends at LF; NUL is accepted
 * too, as some devices send it). Pure: bytes in, messages and problems out.
 */
export interface DecodedFrames {
  messages: string[];
  /** Messages refused for size, each with the reason; the stream stays usable. */
  oversized: string[];
  /** A framing error that makes the rest of the stream unreadable: close the connection. */
  fatal?: string;
}

export class SyslogFrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes still to drop from an oversized LF-framed message until its LF. */
  private discarding = false;

  constructor(private readonly maxMessage: number) {}

  /** Bytes held waiting for the end of a frame (bounded by maxMessage + a length prefix). */
  get buffered(): number {
    return this.buffer.length;
  }

  push(chunk: Buffer): DecodedFrames {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: DecodedFrames = { messages: [], oversized: [] };
    while (this.buffer.length > 0 && out.fatal === undefined) {
      if (!this.next(out)) {
        break;
      }
    }
    return out;
  }

  /** Consumes one frame if complete; false when more bytes are needed. */
  private next(out: DecodedFrames): boolean {
    if (this.discarding) {
      return this.discard();
    }
    const first = this.buffer[0];
    if (first >= 0x30 && first <= 0x39) {
      return this.octetCounted(out);
    }
    return this.lineFramed(out);
  }

  private octetCounted(out: DecodedFrames): boolean {
    const space = this.buffer.indexOf(0x20);
    const head = this.buffer.subarray(0, space === -1 ? Math.min(this.buffer.length, 11) : space).toString('latin1');
    if (!/^\d+$/.test(head)) {
      // A line that merely starts with a digit (an access log's client address, say).
      return this.lineFramed(out);
    }
    if (space === -1) {
      if (this.buffer.length > 10) {
        out.fatal = 'octet-counting frame without a length';
      }
      return false;
    }
    const digits = head;
    if (!/^[1-9]\d{0,9}$/.test(digits)) {
      out.fatal = 'octet-counting frame with an invalid length';
      return false;
    }
    const length = Number(digits);
    if (length > this.maxMessage) {
      out.fatal = `message of ${length} bytes is over the ${this.maxMessage}-byte limit`;
      return false;
    }
    if (this.buffer.length < space + 1 + length) {
      return false;
    }
    out.messages.push(this.buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
    this.buffer = this.buffer.subarray(space + 1 + length);
    return true;
  }

  private lineFramed(out: DecodedFrames): boolean {
    let end = -1;
    for (let i = 0; i < this.buffer.length && i <= this.maxMessage; i += 1) {
      if (this.buffer[i] === 0x0a || this.buffer[i] === 0x00) {
        end = i;
        break;
      }
    }
    if (end === -1) {
      if (this.buffer.length > this.maxMessage) {
        out.oversized.push(`message over the ${this.maxMessage}-byte limit was dropped`);
        this.discarding = true;
        this.buffer = Buffer.alloc(0);
      }
      return false;
    }
    const text = this.buffer.subarray(0, end).toString('utf8').replace(/\r$/, '');
    this.buffer = this.buffer.subarray(end + 1);
    if (text.trim() !== '') {
      out.messages.push(text);
    }
    return true;
  }

  private discard(): boolean {
    const end = this.buffer.indexOf(0x0a);
    if (end === -1) {
      this.buffer = Buffer.alloc(0);
      return false;
    }
    this.buffer = this.buffer.subarray(end + 1);
    this.discarding = false;
    return true;
  }
}
