import { ingestCredentials, parseIngestTokens } from './ingest-tokens';

const A = 'aaaaaaaaaaaaaaaaaaaa-token-A';
const B = 'bbbbbbbbbbbbbbbbbbbb+token/B=';

describe(parseIngestTokens.name, () => {
  it.each([
    { name: 'one entry', value: `edge:${A}`, expected: [{ name: 'edge', token: A }] },
    {
      name: 'two entries, one with its own limit, spaces around',
      value: ` edge:${A}:5000 , siem.eu-1:${B} `,
      expected: [
        { name: 'edge', token: A, limit: 5000 },
        { name: 'siem.eu-1', token: B },
      ],
    },
    { name: 'a trailing comma', value: `edge:${A},`, expected: [{ name: 'edge', token: A }] },
  ])('reads $name', ({ value, expected }) => {
    expect(parseIngestTokens(value)).toEqual(expected);
  });

  it.each([
    { name: 'no name', value: A, message: /entry 1 of 1 must be name:token/ },
    { name: 'a colon in the token', value: `edge:${A}:x:1`, message: /entry 1 of 1 must be name:token/ },
    { name: 'a bad name', value: `-edge:${A}`, message: /entry 1 of 1: the name must be/ },
    { name: 'a short token', value: 'edge:short-one', message: /entry 1 of 1 \("edge"\): the token must be 16/ },
    { name: 'a space in the token', value: 'edge:aaaaaaaa bbbbbbbbbbbbb', message: /printable ASCII/ },
    { name: 'a zero limit', value: `edge:${A}:0`, message: /the limit must be a whole number/ },
    { name: 'a non-numeric limit', value: `edge:${A}:lots`, message: /the limit must be a whole number/ },
    { name: 'a huge limit', value: `edge:${A}:99999999`, message: /the limit must be a whole number/ },
  ])('refuses $name, without printing the token', ({ value, message }) => {
    let text = '';
    try {
      parseIngestTokens(value);
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text).toMatch(message);
    expect(text).not.toContain(A);
    expect(text).not.toContain('short-one');
  });
});

describe(ingestCredentials.name, () => {
  it.each([
    { name: 'nothing set', single: undefined, list: undefined, names: [] },
    { name: 'SOC_INGEST_TOKEN alone, as "default"', single: A, list: undefined, names: ['default'] },
    { name: 'both, for a rotation', single: A, list: `edge:${B}`, names: ['default', 'edge'] },
  ])('$name', ({ single, list, names }) => {
    expect(ingestCredentials(single, list).map((credential) => credential.name)).toEqual(names);
  });

  it.each([
    { name: 'a name twice', single: undefined, list: `edge:${A},edge:${B}`, message: /"edge" is used twice/ },
    { name: '"default" beside SOC_INGEST_TOKEN', single: A, list: `default:${B}`, message: /SOC_INGEST_TOKEN's name/ },
    {
      name: 'one token under two names',
      single: A,
      list: `edge:${A}`,
      message: /"edge" has the same token as "default"/,
    },
  ])('refuses $name', ({ single, list, message }) => {
    expect(() => ingestCredentials(single, list)).toThrow(message);
  });
});
