import { parseRecord } from '../record';
import {
  eventTypeFrom,
  httpMethodFrom,
  httpStatusFrom,
  outcomeFromWords,
  portFrom,
  present,
  sshdOutcome,
} from './fields';
import { parseSshdMessage, SshdEventKind } from './sshd';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

const FP = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';

/** One message of every sshd kind, and the outcome it means. */
const sshdKinds: Row<{ kind: SshdEventKind; message: string }, 'success' | 'failure' | 'unknown'>[] = [
  {
    name: 'accepted',
    input: { kind: 'accepted', message: 'Accepted password for alice from 192.0.2.10 port 52000 ssh2' },
    expected: 'success',
  },
  {
    name: 'failed_password',
    input: { kind: 'failed_password', message: 'Failed password for root from 203.0.113.7 port 4242 ssh2' },
    expected: 'failure',
  },
  {
    name: 'failed_publickey',
    input: {
      kind: 'failed_publickey',
      message: `Failed publickey for git from 198.51.100.2 port 3333 ssh2: RSA ${FP}`,
    },
    expected: 'failure',
  },
  {
    name: 'failed_other',
    input: { kind: 'failed_other', message: 'Failed hostbased for invalid user test from 198.51.100.4 port 2222 ssh2' },
    expected: 'failure',
  },
  {
    name: 'invalid_user',
    input: { kind: 'invalid_user', message: 'Invalid user oracle from 203.0.113.9 port 51234' },
    expected: 'failure',
  },
  {
    name: 'pam_auth_failure',
    input: {
      kind: 'pam_auth_failure',
      message:
        'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root',
    },
    expected: 'failure',
  },
  {
    name: 'max_auth_attempts',
    input: {
      kind: 'max_auth_attempts',
      message: 'error: maximum authentication attempts exceeded for root from 203.0.113.7 port 4242 ssh2 [preauth]',
    },
    expected: 'failure',
  },
  {
    name: 'too_many_auth_failures',
    input: {
      kind: 'too_many_auth_failures',
      message:
        'Disconnecting authenticating user root 203.0.113.7 port 4242: Too many authentication failures [preauth]',
    },
    expected: 'failure',
  },
  {
    name: 'preauth_disconnect',
    input: {
      kind: 'preauth_disconnect',
      message: 'Connection closed by authenticating user root 203.0.113.7 port 4242 [preauth]',
    },
    expected: 'failure',
  },
  {
    name: 'no_identification',
    input: { kind: 'no_identification', message: 'Did not receive identification string from 203.0.113.7 port 4242' },
    expected: 'unknown',
  },
  {
    name: 'bad_protocol',
    input: {
      kind: 'bad_protocol',
      message: "Bad protocol version identification 'GET / HTTP/1.1' from 203.0.113.7 port 4242",
    },
    expected: 'unknown',
  },
  {
    name: 'other',
    input: { kind: 'other', message: 'Nov 24 10:00:01 bastion sshd[1]: Received signal 15; terminating.' },
    expected: 'unknown',
  },
];

describe(sshdOutcome.name, () => {
  it.each(sshdKinds)('$name', ({ input, expected }) => {
    const facts = parseSshdMessage(input.message);
    expect(facts?.kind).toBe(input.kind);
    expect(sshdOutcome(facts)).toBe(expected);
  });

  it('is the outcome parseRecord gives a record whose message is about its own address', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    for (const { input } of sshdKinds) {
      const facts = parseSshdMessage(input.message);
      const record = parseRecord({ source_ip: facts?.sourceIp ?? '198.51.100.1', message: input.message }, now);
      expect(record.ok && record.event.outcome).toBe(sshdOutcome(facts));
    }
  });

  it('is unknown without facts', () => {
    expect(sshdOutcome(null)).toBe('unknown');
  });
});

describe(eventTypeFrom.name, () => {
  it.each([
    { name: 'CEF name', input: 'Worm successfully stopped!', expected: 'worm_successfully_stopped' },
    {
      name: 'runs of symbols become one _',
      input: 'SQL Injection - union/select',
      expected: 'sql_injection_union_select',
    },
    { name: 'program name', input: 'postfix/smtpd', expected: 'postfix_smtpd' },
    { name: 'numeric LEEF id', input: '4625', expected: '4625' },
    { name: 'underscores kept inside', input: '__a__b__', expected: 'a__b' },
    { name: 'non-ASCII letters are not word characters', input: 'Échec', expected: 'chec' },
    { name: 'capped at 128', input: 'x'.repeat(300), expected: 'x'.repeat(128) },
    { name: 'symbols only', input: '!!!', expected: undefined },
    { name: 'empty', input: '', expected: undefined },
    { name: 'absent', input: undefined, expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(eventTypeFrom(input)).toBe(expected);
  });
});

describe(outcomeFromWords.name, () => {
  it.each([
    { name: 'ArcSight categoryOutcome', input: ['/Failure'], expected: 'failure' },
    { name: 'act=blocked', input: [undefined, 'blocked'], expected: 'failure' },
    { name: 'Denied', input: ['Denied'], expected: 'failure' },
    { name: 'fail', input: ['fail'], expected: 'failure' },
    { name: 'success', input: ['/Success'], expected: 'success' },
    { name: 'first clear field wins', input: ['/Attempt', 'allowed', 'blocked'], expected: 'success' },
    { name: 'a field saying both is skipped', input: ['success or failure', 'Block'], expected: 'failure' },
    { name: 'category words only', input: ['/Authentication/Verify'], expected: undefined },
    { name: 'words, not substrings', input: ['unsuccessfully failover'], expected: undefined },
    { name: 'none', input: [], expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(outcomeFromWords(...input)).toBe(expected);
  });
});

describe(portFrom.name, () => {
  it.each([
    { name: 'port', input: '4242', expected: 4242 },
    { name: 'zero', input: '0', expected: 0 },
    { name: 'max', input: '65535', expected: 65535 },
    { name: 'over max', input: '65536', expected: undefined },
    { name: 'negative', input: '-1', expected: undefined },
    { name: 'hex', input: '0x10', expected: undefined },
    { name: 'absent', input: undefined, expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(portFrom(input)).toBe(expected);
  });
});

describe(httpMethodFrom.name, () => {
  it.each([
    { name: 'GET', input: 'GET', expected: 'GET' },
    { name: 'M-SEARCH', input: 'M-SEARCH', expected: 'M-SEARCH' },
    { name: 'as sent, lower case', input: 'get', expected: 'get' },
    { name: 'TLS bytes', input: '\u0016\u0003\u0001', expected: undefined },
    { name: 'over 16', input: 'A'.repeat(17), expected: undefined },
    { name: 'empty', input: '', expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(httpMethodFrom(input)).toBe(expected);
  });
});

describe(httpStatusFrom.name, () => {
  it.each([
    { name: '200', input: 200, expected: 200 },
    { name: 'nginx 000', input: 0, expected: undefined },
    { name: '999', input: 999, expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(httpStatusFrom(input)).toBe(expected);
  });
});

describe(present.name, () => {
  it.each([
    { name: 'value', input: 'x', expected: 'x' },
    { name: 'dash', input: '-', expected: undefined },
    { name: 'blank', input: '  ', expected: undefined },
    { name: 'absent', input: undefined, expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(present(input)).toBe(expected);
  });
});
