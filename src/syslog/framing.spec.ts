import { SyslogFrameDecoder } from './framing';

const MAX = 64;

function decodeAll(chunks: string[], max = MAX) {
  const decoder = new SyslogFrameDecoder(max);
  const messages: string[] = [];
  const oversized: string[] = [];
  let fatal: string | undefined;
  for (const chunk of chunks) {
    const out = decoder.push(Buffer.from(chunk, 'utf8'));
    messages.push(...out.messages);
    oversized.push(...out.oversized);
    fatal ??= out.fatal;
  }
  return { messages, oversized: oversized.length, fatal, buffered: decoder.buffered };
}

describe(SyslogFrameDecoder.name, () => {
  it.each([
    { name: 'one LF-framed message', chunks: ['<13>hello\n'], messages: ['<13>hello'] },
    { name: 'CRLF', chunks: ['<13>a\r\n<13>b\r\n'], messages: ['<13>a', '<13>b'] },
    { name: 'NUL-terminated', chunks: ['<13>a\u0000<13>b\u0000'], messages: ['<13>a', '<13>b'] },
    {
      name: 'a message split across chunks',
      chunks: ['<13>hel', 'lo\n<13>wor', 'ld\n'],
      messages: ['<13>hello', '<13>world'],
    },
    { name: 'an incomplete last message waits', chunks: ['<13>a\n<13>b'], messages: ['<13>a'] },
    { name: 'blank lines are skipped', chunks: ['\n\n<13>a\n'], messages: ['<13>a'] },
    { name: 'octet counting', chunks: ['11 <13>1 hello5 <13>x'], messages: ['<13>1 hello', '<13>x'] },
    { name: 'octet counting split inside the length', chunks: ['1', '1 <13>1 he', 'llo'], messages: ['<13>1 hello'] },
    { name: 'octet counting keeps an LF inside the message', chunks: ['9 <13>a\nb c'], messages: ['<13>a\nb c'] },
    { name: 'mixed framing, message by message', chunks: ['5 <13>a<13>b\n'], messages: ['<13>a', '<13>b'] },
    {
      name: 'a line that starts with a digit is LF-framed',
      chunks: ['203.0.113.7 - - "GET /"\n'],
      messages: ['203.0.113.7 - - "GET /"'],
    },
    { name: 'multi-byte UTF-8 counted in bytes', chunks: ['8 <13>\u00e9\u00e9'], messages: ['<13>\u00e9\u00e9'] },
  ])('$name', ({ chunks, messages }) => {
    expect(decodeAll(chunks).messages).toEqual(messages);
  });

  it.each([
    { name: 'an octet count over the limit', chunks: ['65 ' + 'x'.repeat(65)], fatal: /over the 64-byte limit/ },
    { name: 'a zero length', chunks: ['0 x'], fatal: /invalid length/ },
    { name: 'a length with a leading zero', chunks: ['01 x'], fatal: /invalid length/ },
    { name: 'digits that never end', chunks: ['12345678901234'], fatal: /without a length/ },
  ])('refuses $name', ({ chunks, fatal }) => {
    expect(decodeAll(chunks).fatal).toMatch(fatal);
  });

  it('drops an oversized LF-framed message, keeps the stream, and never buffers past the limit', () => {
    const result = decodeAll(['<13>' + 'x'.repeat(100), 'y'.repeat(100), '\n<13>next\n']);
    expect(result.oversized).toBe(1);
    expect(result.messages).toEqual(['<13>next']);
    expect(result.buffered).toBe(0);
  });
});
