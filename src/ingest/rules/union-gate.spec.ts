import fc from 'fast-check';
import { BUILTIN_WEB_PATTERNS } from '../signals/detectors';
import { flatAlternatives, sourceFacts } from './regex-source';
import { hasSpecial, unionGate } from './union-gate';
import { webRules } from './web-detection';

describe(sourceFacts.name, () => {
  it.each([
    { source: String.raw`\bunion\s+select`, literals: ['select'], special: false },
    { source: String.raw`(?:union|select)\s+`, literals: ['union', 'select'], special: false },
    { source: String.raw`\.\./`, literals: ['../'], special: false },
    { source: String.raw`\.{2,}[/\\]`, literals: ['..'], special: false },
    { source: String.raw`['"]\s*or\b`, literals: ['or'], special: true },
    { source: String.raw`<[a-z]`, literals: null, special: true },
    { source: String.raw`a|<`, literals: null, special: false },
    { source: String.raw`abc?d`, literals: ['ab'], special: false },
    { source: String.raw`(?:etc)?/passwd`, literals: ['/passwd'], special: false },
    { source: String.raw`x(?=')`, literals: null, special: false },
    { source: String.raw`[\r\n][ \t]{0,8}set-cookie`, literals: ['set-cookie'], special: true },
    { source: String.raw`\bj\s*a\s*v\s*a`, literals: null, special: false },
  ])('$source: literals $literals, special $special', ({ source, literals, special }) => {
    expect(sourceFacts(source, true)).toEqual({ literals, special });
  });

  it('reads case-sensitive literals as written and caseless ones lower-cased', () => {
    expect(sourceFacts('UNION', false).literals).toEqual(['UNION']);
    expect(sourceFacts('UNION', true).literals).toEqual(['union']);
  });

  it('opens whole-alternative groups when flattening a union', () => {
    expect(flatAlternatives('(?:a|b)|(?:c(?:d|e))|f')).toEqual(['a', 'b', 'c(?:d|e)', 'f']);
  });
});

describe(unionGate.name, () => {
  const sets: [string, string[], string][] = [
    ...Object.entries(
      webRules()
        .flatMap((rule) => rule.matchers)
        .reduce<Record<string, string[]>>((byField, matcher) => {
          if (matcher.gate !== undefined) {
            (byField[matcher.field] ??= []).push(matcher.gate);
          }
          return byField;
        }, {}),
    ).map(([field, list]): [string, string[], string] => [field, list, 'i']),
    ['built-in', BUILTIN_WEB_PATTERNS.map((p) => p.source).filter((s) => !/\\[1-9]/.test(s)), ''],
  ];
  const samples = [
    '',
    '/products/12?q=select a plan',
    "/item?id=1' or '1'='1",
    '/x?a=<svg/onload=alert(1)>',
    '/static/../../etc/passwd',
    '/index.php?page=php://filter/resource=x',
    '/ping?host=127.0.0.1\nid',
    'Mozilla/5.0 (X11; Linux x86_64)',
    '/SEARCH?Q=UNION SELECT 1,2',
    '/a?b={{7*7}}',
    '/wp-admin/setup-config.php',
    '/x?y=\u00e9\u00bf\uff1c',
  ];

  it.each(sets.map(([field, list, flags]) => ({ field, list, flags })))(
    'answers as the whole union of $field does',
    ({ list, flags }) => {
      const gate = unionGate(list, flags);
      const union = new RegExp(list.map((source) => `(?:${source})`).join('|'), flags);
      for (const text of samples) {
        expect([text, gate(text)]).toEqual([text, union.test(text)]);
      }
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ maxLength: 80 }),
            fc
              .array(fc.constantFrom(...samples, "'", '<', '..', ';', 'select', 'etc', '%', '{{'), { maxLength: 8 })
              .map((parts) => parts.join('')),
          ),
          (text) => gate(text) === union.test(text),
        ),
        { numRuns: 400 },
      );
    },
  );

  it('knows text with and without the characters an injection needs', () => {
    expect(hasSpecial('/products/12?q=select a plan')).toBe(false);
    expect(hasSpecial("/item?id=1'")).toBe(true);
    expect(hasSpecial('/x?a=b\nc')).toBe(true);
  });
});
