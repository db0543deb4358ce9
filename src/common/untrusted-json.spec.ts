import { JsonTooDeepError, MAX_JSON_DEPTH, nestsDeeperThan, parseUntrustedJson } from './untrusted-json';

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe(nestsDeeperThan.name, () => {
  it.each([
    { name: 'a scalar', text: '42', max: 0, expected: false },
    { name: 'a flat object at depth 1', text: '{"a":1}', max: 1, expected: false },
    { name: 'an object inside an array', text: '[{"a":1}]', max: 1, expected: true },
    { name: 'exactly the limit', text: nested(32), max: 32, expected: false },
    { name: 'one past the limit', text: nested(33), max: 32, expected: true },
    { name: 'mixed objects and arrays', text: '{"a":[{"b":[{}]}]}', max: 4, expected: true },
    { name: 'brackets inside a string', text: '{"a":"[[[[[[[[[["}', max: 1, expected: false },
    { name: 'an escaped quote inside a string', text: '{"a":"\\"[[[[[[","b":1}', max: 1, expected: false },
    { name: 'an escaped backslash ending a string', text: '{"a":"\\\\","b":[[1]]}', max: 2, expected: true },
    { name: 'siblings do not add up', text: '[[1],[2],[3],[4]]', max: 2, expected: false },
    { name: 'concatenated values reset depth', text: '{"a":{}}{"b":{}}', max: 2, expected: false },
    { name: 'unbalanced closers do not hide depth', text: ']]]]' + nested(3), max: 2, expected: false },
  ])('$name → $expected', ({ text, max, expected }) => {
    expect(nestsDeeperThan(text, max)).toBe(expected);
  });

  it('walks a body nested 100,000 deep without running out of stack', () => {
    expect(nestsDeeperThan(nested(100_000, '{"a":', '}'), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe(parseUntrustedJson.name, () => {
  it('parses what JSON.parse parses within the limit', () => {
    expect(parseUntrustedJson('{"source":{"ip":"192.0.2.1"}}')).toEqual({ source: { ip: '192.0.2.1' } });
  });

  it('throws a SyntaxError naming the limit past it', () => {
    expect(() => parseUntrustedJson(nested(5000))).toThrow(JsonTooDeepError);
    expect(() => parseUntrustedJson(nested(5000))).toThrow(SyntaxError);
    expect(() => parseUntrustedJson(nested(5000))).toThrow(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it.each([
    { name: 'exactly the limit in openers', text: nested(MAX_JSON_DEPTH), throws: false },
    { name: 'one past it', text: nested(MAX_JSON_DEPTH + 1), throws: true },
    { name: 'many openers inside strings, shallow', text: `{"a":"${'{['.repeat(100)}"}`, throws: false },
    { name: 'many siblings, shallow', text: `[${Array(100).fill('{}').join(',')}]`, throws: false },
    {
      name: 'objects past the limit among many strings',
      text: `[${nested(40, '{"a":', '}')},"${'['.repeat(50)}"]`,
      throws: true,
    },
  ])('judges by depth, not by how many openers: $name', ({ text, throws }) => {
    if (throws) {
      expect(() => parseUntrustedJson(text)).toThrow(JsonTooDeepError);
    } else {
      expect(() => parseUntrustedJson(text)).not.toThrow();
    }
  });

  it('still throws JSON.parse own SyntaxError on invalid text', () => {
    expect(() => parseUntrustedJson('{"a":')).toThrow(SyntaxError);
  });
});
