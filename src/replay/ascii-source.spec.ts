import { isAscii } from 'node:buffer';
import { runInNewContext } from 'node:vm';
import { toAsciiSource } from './ascii-source';

/** What an expression means: a value, or a regular expression's answers on some inputs. */
function meaning(expression: string): unknown {
  const value = runInNewContext(`(${expression})`);
  if (Object.prototype.toString.call(value) !== '[object RegExp]') {
    return value;
  }
  const probes = ['Ä', 'ä', 'A', 'ÄÖ', 'Я', 'я', 'x', '\\', '\\Ä', '😀', '\ud83d', 'УНП 123456789', '£'];
  return probes.map((probe) => (value as RegExp).test(probe));
}

describe(toAsciiSource.name, () => {
  it.each([
    ['a string', '"Äpfel"'],
    ['a template', '`£${1}`'],
    ['a character class, case-insensitive', '/^[A-ZÄÖÜß]+$/i'],
    ['a range of Cyrillic letters', '/^[А-Я]+$/i'],
    ['a literal word', '/^(УНП )?\\d{9}$/'],
    ['an identity escape in a regex', '/\\Ä/'],
    ['an identity escape in a string', '"\\Ä"'],
    ['an escaped backslash before the character', '/\\\\Ä/'],
    ['an escaped backslash before the character in a string', '"\\\\Ä"'],
    ['an astral character with the u flag', '/^[😀]$/u'],
    ['an astral character without it', '/^😀$/'],
    ['an astral character in a string', '"😀"'],
    ['a comment', '/* Ä */ "x"'],
    ['an identifier', '((Äpfel) => Äpfel + 1)(1)'],
  ])('keeps the meaning of %s', (_case, expression) => {
    const ascii = toAsciiSource(expression);
    expect(isAscii(Buffer.from(ascii))).toBe(true);
    expect(meaning(ascii)).toEqual(meaning(expression));
  });

  it('leaves ASCII source as it is', () => {
    const source = 'const a = /[\\u00c4]/g; "\\\\"; `x`;';
    expect(toAsciiSource(source)).toBe(source);
  });

  it('escapes each character as \\uXXXX', () => {
    expect(toAsciiSource('/[Ä-Ö]/')).toBe('/[\\u00c4-\\u00d6]/');
    expect(toAsciiSource('"😀"')).toBe('"\\ud83d\\ude00"');
  });
});
