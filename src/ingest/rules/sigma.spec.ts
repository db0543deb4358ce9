import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleDirs, RuleLoadError } from './rule-loader';
import { ConditionError, evaluateCondition, parseCondition } from './sigma-condition';
import { compileFieldMatcher, MatcherError } from './sigma-matcher';
import { unsafeRegexReason } from './regex-safety';

const any = () => true;
const view = (fields: Record<string, string>) => fields;

describe('Sigma field modifiers', () => {
  it.each([
    { key: 'f', value: 'abc', text: 'abc', hit: true },
    { key: 'f', value: 'abc', text: 'xabc', hit: false },
    { key: 'f', value: 'a*c', text: 'abbbc', hit: true },
    { key: 'f', value: 'a?c', text: 'abc', hit: true },
    { key: 'f', value: 'a\\*c', text: 'a*c', hit: true },
    { key: 'f', value: 'a\\*c', text: 'abc', hit: false },
    { key: 'f|contains', value: 'BC', text: 'abcd', hit: true },
    { key: 'f|contains', value: 'b*d', text: 'abxxd', hit: true },
    { key: 'f|startswith', value: 'ab', text: 'abcd', hit: true },
    { key: 'f|startswith', value: 'bc', text: 'abcd', hit: false },
    { key: 'f|endswith', value: 'cd', text: 'abcd', hit: true },
    { key: 'f|endswith', value: '*c?', text: 'abcd', hit: true },
    { key: 'f|contains|all', value: ['a', 'd'], text: 'abcd', hit: true },
    { key: 'f|contains|all', value: ['a', 'z'], text: 'abcd', hit: false },
    { key: 'f|contains', value: ['z', 'c'], text: 'abcd', hit: true },
    { key: 'f|re', value: '^a.c', text: 'abcd', hit: true },
    { key: 'f|re', value: ['^z', 'c$'], text: 'abc', hit: true },
    { key: 'f|gte', value: 400, text: '404', hit: true },
    { key: 'f|lt', value: 400, text: '404', hit: false },
    { key: 'f|exists', value: true, text: '', hit: true },
    { key: 'g|exists', value: true, text: 'x', hit: false },
    { key: 'f', value: null, text: '', hit: true },
  ])('$key: $value on "$text" → $hit', ({ key, value, text, hit }) => {
    const matcher = compileFieldMatcher(key, value, any);
    expect(matcher.test(view({ f: text })) !== null).toBe(hit);
  });

  it.each([
    { key: 'f|base64', value: 'x', reason: /modifier "base64" is not supported/ },
    { key: 'f|re', value: '(a+)+$', reason: /nested quantifier/ },
    { key: 'f|re', value: '(a)\\1', reason: /back-references/ },
    { key: 'f|re', value: '(', reason: /invalid regular expression/ },
    { key: 'f|gt', value: 'x', reason: /needs a number/ },
    { key: 'f', value: [], reason: /empty list/ },
    { key: 'nope', value: 'x', reason: /unknown field "nope"/ },
  ])('refuses $key: $value', ({ key, value, reason }) => {
    expect(() => compileFieldMatcher(key, value, (field) => field === 'f')).toThrow(MatcherError);
    expect(() => compileFieldMatcher(key, value, (field) => field === 'f')).toThrow(reason);
  });
});

describe('Sigma conditions', () => {
  const names = ['sel_a', 'sel_b', 'filter', '_hidden'];
  it.each([
    { condition: 'sel_a', holds: ['sel_a'], expected: true },
    { condition: 'sel_a and not filter', holds: ['sel_a', 'filter'], expected: false },
    { condition: 'sel_a or sel_b and filter', holds: ['sel_a'], expected: true },
    { condition: '(sel_a or sel_b) and filter', holds: ['sel_a'], expected: false },
    { condition: '1 of sel_*', holds: ['sel_b'], expected: true },
    { condition: 'all of sel_*', holds: ['sel_b'], expected: false },
    { condition: 'all of them', holds: ['sel_a', 'sel_b', 'filter'], expected: true },
    { condition: 'not 1 of them', holds: ['_hidden'], expected: true },
    { condition: 'NOT sel_a AND sel_b', holds: ['sel_b'], expected: true },
  ])('$condition with $holds → $expected', ({ condition, holds, expected }) => {
    expect(evaluateCondition(parseCondition(condition, names), (name) => holds.includes(name))).toBe(expected);
  });

  it.each([
    { condition: 'sel_a | count() by c-ip > 10', reason: /aggregations/ },
    { condition: 'sel_a and', reason: /ends too early/ },
    { condition: 'missing', reason: /names no selection/ },
    { condition: '(sel_a', reason: /ends too early/ },
    { condition: '(sel_a sel_b', reason: /missing "\)"/ },
    { condition: 'sel_a sel_b', reason: /unexpected "sel_b"/ },
  ])('refuses "$condition"', ({ condition, reason }) => {
    expect(() => parseCondition(condition, names)).toThrow(ConditionError);
    expect(() => parseCondition(condition, names)).toThrow(reason);
  });
});

describe(unsafeRegexReason.name, () => {
  it.each(['(a+)+', '(?:\\w*\\s?)*', '(x|y+){2,}', '(?:a{1,5})+'])('refuses %s', (source) => {
    expect(unsafeRegexReason(source)).not.toBeNull();
  });
  it.each(['a+b+', '(?:ab)+', '[(+]+', '(?:\\d{1,3}\\.){3}\\d{1,3}', '\\(a+\\)+'])('accepts %s', (source) => {
    expect(unsafeRegexReason(source)).toBeNull();
  });
});

describe(loadRuleDirs.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'soc-rules-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rule = (detection: string, extra = '') =>
    `title: t\nid: r1\nlogsource: { category: webserver }\nsignal: exploit_probe\n${extra}detection:\n${detection}`;

  it('loads a user rule and evaluates it', () => {
    writeFileSync(join(dir, 'mine.yml'), rule('  sel:\n    cs-uri-stem|endswith: /secret\n  condition: sel\n'));
    const [loaded] = loadRuleDirs([dir]);
    expect(loaded.id).toBe('r1');
    expect(loaded.evaluate({ 'cs-uri-stem': '/a/secret' })).toEqual({ field: 'cs-uri-stem', matched: '/secret' });
  });

  it.each([
    { name: 'bad YAML', text: 'title: a\nid: b\n\tx: 1\n', line: 3, reason: /Tabs are not allowed/ },
    {
      name: 'unknown modifier',
      text: rule('  sel:\n    cs-uri|base64: x\n  condition: sel\n'),
      line: 7,
      reason: /base64/,
    },
    {
      name: 'unsafe expression',
      text: rule("  sel:\n    cs-uri|re: '(a+)+'\n  condition: sel\n"),
      line: 7,
      reason: /nested/,
    },
    {
      name: 'bad condition',
      text: rule('  sel:\n    cs-uri: x\n  condition: sel or\n'),
      line: 8,
      reason: /ends too early/,
    },
    {
      name: 'unknown signal',
      text: rule('  sel:\n    cs-uri: x\n  condition: sel\n').replace('exploit_probe', 'nope'),
      line: 4,
      reason: /signal must be one of/,
    },
    {
      name: 'not a web rule',
      text: rule('  sel:\n    cs-uri: x\n  condition: sel\n').replace('webserver', 'process_creation'),
      line: 3,
      reason: /web server rules/,
    },
    { name: 'duplicate key', text: 'title: a\ntitle: b\n', line: 2, reason: /unique|duplicate/i },
  ])('stops on $name with the file and line', ({ text, line, reason }) => {
    writeFileSync(join(dir, 'bad.yml'), text);
    let error: unknown;
    try {
      loadRuleDirs([dir]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RuleLoadError);
    expect((error as RuleLoadError).file).toMatch(/bad\.yml$/);
    expect((error as RuleLoadError).line).toBe(line);
    expect((error as RuleLoadError).reason).toMatch(reason);
  });

  it('refuses an id used twice', () => {
    writeFileSync(join(dir, 'a.yml'), rule('  sel:\n    cs-uri: x\n  condition: sel\n'));
    writeFileSync(join(dir, 'b.yml'), rule('  sel:\n    cs-uri: y\n  condition: sel\n'));
    expect(() => loadRuleDirs([dir])).toThrow(/rule id "r1" is already used in .*a\.yml/);
  });

  it('refuses a folder that does not exist', () => {
    expect(() => loadRuleDirs([join(dir, 'none')])).toThrow(/not a folder/);
  });
});
