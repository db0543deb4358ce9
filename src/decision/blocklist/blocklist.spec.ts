import { BlocklistFormat, formatBlocklist, sortedTargets } from './blocklist';

const BANS = ['2001:db8::7', '203.0.113.7', '198.51.100.0/24', '203.0.113.7', '10.0.0.0/8', '2001:db8::/48'];

describe(formatBlocklist.name, () => {
  it.each([
    {
      format: 'plain',
      expected: '10.0.0.0/8\n198.51.100.0/24\n203.0.113.7\n2001:db8::/48\n2001:db8::7\n',
    },
    {
      format: 'nginx',
      expected: 'deny 10.0.0.0/8;\ndeny 198.51.100.0/24;\ndeny 203.0.113.7;\ndeny 2001:db8::/48;\ndeny 2001:db8::7;\n',
    },
    {
      format: 'ipset',
      expected:
        'add soc-triage 10.0.0.0/8\nadd soc-triage 198.51.100.0/24\nadd soc-triage 203.0.113.7\n' +
        'add soc-triage6 2001:db8::/48\nadd soc-triage6 2001:db8::7\n',
    },
  ] as { format: BlocklistFormat; expected: string }[])('$format', ({ format, expected }) => {
    expect(formatBlocklist(BANS, format)).toBe(expected);
  });

  it('names the ipset sets after the given name', () => {
    expect(formatBlocklist(['203.0.113.7', '2001:db8::7'], 'ipset', 'edge_v1')).toBe(
      'add edge_v1 203.0.113.7\nadd edge_v16 2001:db8::7\n',
    );
  });

  it.each(['', 'a b', 'x;rm', 'a'.repeat(31), 'ünicode'])('refuses the set name %p', (name) => {
    expect(() => formatBlocklist(BANS, 'ipset', name)).toThrow(/set name/);
  });

  it('answers an empty file when nothing is banned', () => {
    expect(formatBlocklist([], 'nginx')).toBe('');
  });
});

describe(sortedTargets.name, () => {
  it('orders numerically, not as text, and a network before the addresses inside it', () => {
    expect(sortedTargets(['10.0.0.10', '10.0.0.9', '10.0.0.0/24', '9.255.255.255'])).toEqual([
      '9.255.255.255',
      '10.0.0.0/24',
      '10.0.0.9',
      '10.0.0.10',
    ]);
  });

  it('drops anything that is not an address or network', () => {
    expect(sortedTargets(['junk', '203.0.113.7'])).toEqual(['203.0.113.7']);
  });
});
