import { credentialProblems, CredentialSettings } from './credential-checks';
import { validateEnvironment } from './environment';

const INGEST = 'ingest-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const BOUNCER = 'bouncer-key-0123456789';

const BASE: CredentialSettings = {
  production: false,
  allowOpen: false,
  ingest: [],
  admin: undefined,
  bouncerKeys: [],
};

describe(credentialProblems.name, () => {
  it.each([
    { name: 'development, nothing set', settings: {}, problems: [] },
    {
      name: 'production, nothing set',
      settings: { production: true },
      problems: [
        /^SOC_INGEST_TOKEN \/ SOC_INGEST_TOKENS: NODE_ENV=production needs/,
        /^SOC_ADMIN_TOKEN: NODE_ENV=production/,
      ],
    },
    {
      name: 'production, admin only',
      settings: { production: true, admin: ADMIN },
      problems: [/^SOC_INGEST_TOKEN \/ SOC_INGEST_TOKENS/],
    },
    {
      name: 'production, both set',
      settings: { production: true, admin: ADMIN, ingest: [{ name: 'edge', token: INGEST }] },
      problems: [],
    },
    { name: 'production, open on purpose', settings: { production: true, allowOpen: true }, problems: [] },
    {
      name: 'the ingest token as admin token',
      settings: { admin: INGEST, ingest: [{ name: 'default', token: INGEST }] },
      problems: [/^SOC_INGEST_TOKEN and SOC_ADMIN_TOKEN hold the same value/],
    },
    {
      name: 'a named ingest token as admin token, even with ALLOW_OPEN',
      settings: { allowOpen: true, admin: INGEST, ingest: [{ name: 'edge', token: INGEST }] },
      problems: [/^SOC_INGEST_TOKENS \("edge"\) and SOC_ADMIN_TOKEN/],
    },
    {
      name: 'a bouncer key equal to the admin token',
      settings: { admin: ADMIN, bouncerKeys: [BOUNCER, ADMIN] },
      problems: [/^BOUNCER_API_KEYS \(key 2\) and SOC_ADMIN_TOKEN/],
    },
    {
      name: 'a bouncer key equal to an ingest token',
      settings: { ingest: [{ name: 'edge', token: BOUNCER }], bouncerKeys: [BOUNCER] },
      problems: [/^BOUNCER_API_KEYS \(key 1\) and SOC_INGEST_TOKENS \("edge"\)/],
    },
  ])('$name', ({ settings, problems }) => {
    const found = credentialProblems({ ...BASE, ...settings });
    expect(found).toHaveLength(problems.length);
    problems.forEach((problem, index) => expect(found[index]).toMatch(problem));
    for (const text of found) {
      for (const secret of [INGEST, ADMIN, BOUNCER]) {
        expect(text).not.toContain(secret);
      }
    }
  });
});

/** The same rules as the start-up sees them: validateEnvironment is what main.ts calls first. */
describe('start-up refusals (validateEnvironment)', () => {
  it.each([
    {
      name: 'production without credentials',
      raw: { NODE_ENV: 'production' },
      message: /SOC_INGEST_TOKEN \/ SOC_INGEST_TOKENS: NODE_ENV=production[\s\S]*SOC_ADMIN_TOKEN: NODE_ENV=production/,
    },
    {
      name: 'one value for ingest and admin',
      raw: { SOC_INGEST_TOKEN: INGEST, SOC_ADMIN_TOKEN: INGEST },
      message: /SOC_INGEST_TOKEN and SOC_ADMIN_TOKEN hold the same value/,
    },
    {
      name: 'a bouncer key equal to a named ingest token',
      raw: { SOC_INGEST_TOKENS: `edge:${BOUNCER}`, BOUNCER_API_KEYS: BOUNCER },
      message: /BOUNCER_API_KEYS \(key 1\) and SOC_INGEST_TOKENS \("edge"\)/,
    },
    { name: 'a malformed token list', raw: { SOC_INGEST_TOKENS: 'edge' }, message: /SOC_INGEST_TOKENS: entry 1 of 1/ },
    {
      name: 'ALLOW_OPEN that is not a boolean',
      raw: { ALLOW_OPEN: 'yes' },
      message: /ALLOW_OPEN: must be true or false/,
    },
  ])('stops on $name, naming variables, never values', ({ raw, message }) => {
    let text = '';
    try {
      validateEnvironment(raw);
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text).toMatch(message);
    for (const secret of [INGEST, ADMIN, BOUNCER]) {
      expect(text).not.toContain(secret);
    }
  });

  it.each([
    {
      name: 'production with credentials',
      raw: { NODE_ENV: 'production', SOC_INGEST_TOKENS: `edge:${INGEST}:5000`, SOC_ADMIN_TOKEN: ADMIN },
    },
    { name: 'production open on purpose', raw: { NODE_ENV: 'production', ALLOW_OPEN: 'true' } },
    { name: 'development without credentials', raw: { NODE_ENV: 'development' } },
  ])('starts with $name', ({ raw }) => {
    expect(() => validateEnvironment(raw)).not.toThrow();
  });
});
