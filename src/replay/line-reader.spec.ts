import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readLines } from './line-reader';

/** The lines node:readline gives for the file, as the replay used to read it. */
async function readlineLines(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    lines.push(line);
  }
  return lines;
}

describe(readLines.name, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'line-reader-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['nothing', ''],
    ['one line without a break', 'one'],
    ['lines ending in LF', 'a\nb\n'],
    ['lines ending in CR LF', 'a\r\nb\r\n'],
    ['a CR alone', 'a\rb\rc'],
    ['CR, then CR LF', 'a\r\r\nb'],
    ['empty lines', '\n\na\n\n\nb\n\n'],
    ['a last line after a CR', 'a\r'],
    ['a break only', '\r\n'],
    ['characters of two, three and four bytes', 'Ä€😀\n€\r\n😀😀\r😀'],
    ['invalid UTF-8', Buffer.from([0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a, 0x62])],
  ])('gives the lines readline gives for %s, whatever the chunk size', async (_case, content) => {
    const file = join(dir, 'log');
    writeFileSync(file, content);
    const expected = await readlineLines(file);
    for (const chunk of [1, 2, 3, 5, 7, 64 * 1024]) {
      expect({ chunk, lines: [...readLines(file, chunk)] }).toEqual({ chunk, lines: expected });
    }
  });

  it('reads a long log in many chunks', async () => {
    const file = join(dir, 'long.log');
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}${i % 3 === 0 ? '\r' : ''}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect([...readLines(file, 4096)]).toEqual(await readlineLines(file));
  });

  it('fails with the reason when the file cannot be read', () => {
    expect(() => [...readLines(join(dir, 'absent.log'))]).toThrow(/ENOENT: no such file or directory, open/);
  });
});
