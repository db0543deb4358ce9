import { HostResolver } from './host-resolver';

describe(HostResolver.name, () => {
  const fixed = (table: Record<string, string[]>) => {
    const asked: string[] = [];
    const lookup = (name: string): Promise<string[]> => {
      asked.push(name);
      const found = table[name];
      return found === undefined ? Promise.reject(new Error('ENOTFOUND')) : Promise.resolve(found);
    };
    return { asked, lookup };
  };

  it('makes no query at all when disabled', async () => {
    const { asked, lookup } = fixed({ 'a.example': ['192.0.2.1'] });
    const resolver = new HostResolver(false, { lookup });
    await resolver.prepare(['a.example']);
    expect(asked).toEqual([]);
    expect(resolver.addressesOf('a.example')).toBeUndefined();
  });

  it('caches canonical, distinct addresses; a failure as none; one lookup per name', async () => {
    const { asked, lookup } = fixed({ 'a.example': ['::ffff:192.0.2.1', '192.0.2.1', '2001:DB8::1', 'junk'] });
    const resolver = new HostResolver(true, { lookup });
    await Promise.all([resolver.prepare(['a.example', 'b.example']), resolver.prepare(['a.example'])]);
    await resolver.prepare(['a.example', 'b.example']);
    expect(resolver.addressesOf('a.example')).toEqual(['192.0.2.1', '2001:db8::1']);
    expect(resolver.addressesOf('b.example')).toEqual([]);
    expect(asked.sort()).toEqual(['a.example', 'b.example']);
  });

  it('answers "none" when a lookup outlives its timeout', async () => {
    const resolver = new HostResolver(true, { lookup: () => new Promise(() => undefined), timeoutMs: 20 });
    await resolver.prepare(['slow.example']);
    expect(resolver.addressesOf('slow.example')).toEqual([]);
  });

  it('asks again once an answer is older than its TTL (shorter for "none")', async () => {
    let now = 0;
    const { asked, lookup } = fixed({ 'a.example': ['192.0.2.1'] });
    const resolver = new HostResolver(true, { lookup, ttlMs: 1000, negativeTtlMs: 100, clock: () => now });
    await resolver.prepare(['a.example', 'b.example']);
    now = 500;
    await resolver.prepare(['a.example', 'b.example']);
    now = 1500;
    await resolver.prepare(['a.example']);
    expect(asked).toEqual(['a.example', 'b.example', 'b.example', 'a.example']);
  });

  it('keeps at most maxEntries names and maxAddresses addresses', async () => {
    const many = Array.from({ length: 20 }, (_, i) => `192.0.2.${i}`);
    const resolver = new HostResolver(true, { lookup: () => Promise.resolve(many), maxEntries: 2, maxAddresses: 3 });
    await resolver.prepare(['a', 'b', 'c']);
    expect(resolver.addressesOf('a')).toBeUndefined();
    expect(resolver.addressesOf('c')).toEqual(['192.0.2.0', '192.0.2.1', '192.0.2.2']);
  });
});
