import { cookieValue, csrfMatches, SessionStore, sessionCookie } from './session';

const LIMITS = { idleMs: 1000, absoluteMs: 5000, max: 3 };

describe(SessionStore.name, () => {
  it('finds a session by its cookie and keeps it alive while used', () => {
    const store = new SessionStore(LIMITS);
    const { cookie, session } = store.create('alice', 0);
    expect(store.find(cookie, 900)).toBe(session);
    expect(store.find(cookie, 1800)).toBe(session);
    expect(session.operator).toBe('alice');
  });

  it.each([
    { name: 'idle too long', times: [1001] },
    { name: 'past the absolute limit though busy', times: [900, 1800, 2700, 3600, 4500, 5001] },
  ])('forgets a session $name', ({ times }) => {
    const store = new SessionStore(LIMITS);
    const { cookie } = store.create('alice', 0);
    const found = times.map((t) => store.find(cookie, t));
    expect(found.at(-1)).toBeNull();
    expect(store.size).toBe(0);
  });

  it.each([undefined, '', 'made-up-cookie'])('finds nothing for %p', (cookie) => {
    const store = new SessionStore(LIMITS);
    store.create('alice', 0);
    expect(store.find(cookie, 1)).toBeNull();
  });

  it('signs out on destroy, and drops the oldest session past the maximum', () => {
    const store = new SessionStore(LIMITS);
    const cookies = ['a', 'b', 'c', 'd'].map((name, i) => store.create(name, i).cookie);
    expect(store.size).toBe(3);
    expect(store.find(cookies[0], 10)).toBeNull();
    store.destroy(cookies[3]);
    expect(store.find(cookies[3], 10)).toBeNull();
    expect(store.find(cookies[1], 10)?.operator).toBe('b');
  });

  it('hands out distinct, unguessable cookies and CSRF tokens', () => {
    const store = new SessionStore(LIMITS);
    const a = store.create('alice', 0);
    const b = store.create('alice', 0);
    expect(a.cookie).not.toBe(b.cookie);
    expect(a.cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.session.csrf).not.toBe(b.session.csrf);
  });
});

describe(csrfMatches.name, () => {
  const session = new SessionStore(LIMITS).create('alice', 0).session;
  it.each([
    { name: 'the session token', presented: session.csrf, expected: true },
    { name: 'another token', presented: 'x'.repeat(32), expected: false },
    { name: 'nothing', presented: undefined, expected: false },
    { name: 'an array', presented: [session.csrf], expected: false },
  ])('$name → $expected', ({ presented, expected }) => {
    expect(csrfMatches(session, presented)).toBe(expected);
  });
});

describe(sessionCookie.name, () => {
  it.each([
    { value: 'abc', secure: false, expected: 'soc_console=abc; Path=/console; HttpOnly; SameSite=Strict; Max-Age=60' },
    {
      value: 'abc',
      secure: true,
      expected: 'soc_console=abc; Path=/console; HttpOnly; SameSite=Strict; Max-Age=60; Secure',
    },
    { value: null, secure: false, expected: 'soc_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0' },
  ])('$expected', ({ value, secure, expected }) => {
    expect(sessionCookie(value, secure, 60)).toBe(expected);
  });
});

describe(cookieValue.name, () => {
  it.each([
    { header: 'soc_console=abc', expected: 'abc' },
    { header: 'other=1; soc_console=abc; x=2', expected: 'abc' },
    { header: 'xsoc_console=abc', expected: undefined },
    { header: undefined, expected: undefined },
  ])('$header', ({ header, expected }) => {
    expect(cookieValue(header, 'soc_console')).toBe(expected);
  });
});
