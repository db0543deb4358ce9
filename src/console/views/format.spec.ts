import { displayText, utc } from './format';

describe(displayText.name, () => {
  it.each([
    { name: 'plain text', input: 'Failed password for root', expected: 'Failed password for root' },
    { name: 'a newline (log forging)', input: 'a\nFAKE line', expected: 'a\\u{a}FAKE line' },
    { name: 'an ANSI escape', input: '\u001b[31mred', expected: '\\u{1b}[31mred' },
    { name: 'a right-to-left override', input: 'abc\u202egpj.exe', expected: 'abc\\u{202e}gpj.exe' },
    { name: 'null', input: null, expected: '' },
  ])('$name', ({ input, expected }) => {
    expect(displayText(input)).toBe(expected);
  });

  it('cuts long text and says how long it was', () => {
    expect(displayText('x'.repeat(20), 5)).toBe('xxxxx… (20 chars)');
  });
});

describe(utc.name, () => {
  it('shows UTC to the second', () => {
    expect(utc(new Date('2026-11-24T10:00:00.123Z'))).toBe('2026-11-24 10:00:00Z');
    expect(utc(null)).toBe('');
  });
});
