import { findSourceIpInMessage, MAX_SSHD_MESSAGE_LENGTH, parseSshdMessage, SshdFacts } from './sshd';

interface Row {
  name: string;
  input: string;
  expected: Omit<SshdFacts, 'ruleId'> | null;
}

const FP = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';
const CA_FP = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const HEADER = 'Nov 24 10:00:01 bastion sshd[1234]: ';

const recognised: Row[] = [
  {
    name: 'failed password, IPv4',
    input: 'Failed password for root from 203.0.113.7 port 4242 ssh2',
    expected: { kind: 'failed_password', sourceIp: '203.0.113.7', sourcePort: 4242, user: 'root', invalidUser: false },
  },
  {
    name: 'failed password, invalid user, IPv6',
    input: 'Failed password for invalid user admin from 2001:db8::7 port 50022 ssh2',
    expected: { kind: 'failed_password', sourceIp: '2001:db8::7', sourcePort: 50022, user: 'admin', invalidUser: true },
  },
  {
    name: 'failed password, whole syslog line',
    input: `${HEADER}Failed password for root from 203.0.113.7 port 4242 ssh2`,
    expected: { kind: 'failed_password', sourceIp: '203.0.113.7', sourcePort: 4242, user: 'root', invalidUser: false },
  },
  {
    name: 'failed password, sshd-session tag (OpenSSH 9.8+), mapped address',
    input: 'Nov 24 10:00:01 bastion sshd-session[77]: Failed password for root from ::ffff:203.0.113.7 port 1 ssh2',
    expected: { kind: 'failed_password', sourceIp: '203.0.113.7', sourcePort: 1, user: 'root', invalidUser: false },
  },
  {
    name: 'keyboard-interactive counts as a password guess',
    input: 'Failed keyboard-interactive/pam for invalid user pi from 198.51.100.4 port 2222 ssh2',
    expected: { kind: 'failed_password', sourceIp: '198.51.100.4', sourcePort: 2222, user: 'pi', invalidUser: true },
  },
  {
    name: 'failed none',
    input: 'Failed none for invalid user test from 198.51.100.4 port 2222 ssh2',
    expected: { kind: 'failed_none', sourceIp: '198.51.100.4', sourcePort: 2222, user: 'test', invalidUser: true },
  },
  {
    name: 'failed publickey with key suffix',
    input: `Failed publickey for git from 198.51.100.2 port 3333 ssh2: RSA ${FP}`,
    expected: { kind: 'failed_publickey', sourceIp: '198.51.100.2', sourcePort: 3333, user: 'git', invalidUser: false },
  },
  {
    name: 'accepted password',
    input: 'Accepted password for alice from 192.0.2.10 port 52000 ssh2',
    expected: { kind: 'accepted', sourceIp: '192.0.2.10', sourcePort: 52000, user: 'alice', invalidUser: false },
  },
  {
    name: 'accepted publickey, IPv6',
    input: `${HEADER}Accepted publickey for alice from 2001:DB8::10 port 52000 ssh2: ED25519 ${FP}`,
    expected: { kind: 'accepted', sourceIp: '2001:db8::10', sourcePort: 52000, user: 'alice', invalidUser: false },
  },
  {
    name: 'accepted certificate',
    input: `Accepted publickey for alice from 192.0.2.10 port 52000 ssh2: ED25519-CERT ${FP} ID alice@corp (serial 9) CA ED25519 ${CA_FP}`,
    expected: { kind: 'accepted', sourceIp: '192.0.2.10', sourcePort: 52000, user: 'alice', invalidUser: false },
  },
  {
    name: 'invalid user',
    input: 'Invalid user oracle from 203.0.113.9 port 51234',
    expected: { kind: 'invalid_user', sourceIp: '203.0.113.9', sourcePort: 51234, user: 'oracle', invalidUser: true },
  },
  {
    name: 'invalid user, old form without port',
    input: 'Invalid user oracle from 203.0.113.9',
    expected: { kind: 'invalid_user', sourceIp: '203.0.113.9', user: 'oracle', invalidUser: true },
  },
  {
    name: 'invalid user, empty name',
    input: 'Invalid user  from 203.0.113.9 port 51234',
    expected: { kind: 'invalid_user', sourceIp: '203.0.113.9', sourcePort: 51234, user: '', invalidUser: true },
  },
  {
    name: 'invalid user named like a qualifier keeps its name',
    input: 'Invalid user user x from 203.0.113.9 port 51234',
    expected: { kind: 'invalid_user', sourceIp: '203.0.113.9', sourcePort: 51234, user: 'user x', invalidUser: true },
  },
  {
    name: 'pam_unix failure with an address',
    input:
      'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root',
    expected: { kind: 'pam_auth_failure', sourceIp: '203.0.113.7', user: 'root', invalidUser: false },
  },
  {
    name: 'pam_unix failure with IPv6 rhost and no user',
    input: `${HEADER}pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::7`,
    expected: { kind: 'pam_auth_failure', sourceIp: '2001:db8::7', invalidUser: false },
  },
  {
    name: 'pam_unix failure with a host name',
    input:
      'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=scanner.example.net  user=root',
    expected: { kind: 'pam_auth_failure', sourceHost: 'scanner.example.net', user: 'root', invalidUser: false },
  },
  {
    name: 'maximum authentication attempts',
    input: 'error: maximum authentication attempts exceeded for root from 203.0.113.7 port 4242 ssh2 [preauth]',
    expected: {
      kind: 'max_auth_attempts',
      sourceIp: '203.0.113.7',
      sourcePort: 4242,
      user: 'root',
      invalidUser: false,
    },
  },
  {
    name: 'maximum authentication attempts, invalid user, IPv6',
    input: `${HEADER}error: maximum authentication attempts exceeded for invalid user x from 2001:db8::7 port 4242 ssh2 [preauth]`,
    expected: { kind: 'max_auth_attempts', sourceIp: '2001:db8::7', sourcePort: 4242, user: 'x', invalidUser: true },
  },
  {
    name: 'too many authentication failures',
    input: 'Disconnecting authenticating user root 203.0.113.7 port 4242: Too many authentication failures [preauth]',
    expected: {
      kind: 'too_many_auth_failures',
      sourceIp: '203.0.113.7',
      sourcePort: 4242,
      user: 'root',
      invalidUser: false,
    },
  },
  {
    name: 'too many authentication failures, invalid user, IPv6',
    input: 'Disconnecting invalid user admin 2001:db8::7 port 4242: Too many authentication failures [preauth]',
    expected: {
      kind: 'too_many_auth_failures',
      sourceIp: '2001:db8::7',
      sourcePort: 4242,
      user: 'admin',
      invalidUser: true,
    },
  },
  {
    name: 'too many authentication failures, old form',
    input: 'Disconnecting: Too many authentication failures for root [preauth]',
    expected: { kind: 'too_many_auth_failures', invalidUser: false },
  },
  {
    name: 'connection closed by authenticating user',
    input: 'Connection closed by authenticating user root 203.0.113.7 port 4242 [preauth]',
    expected: {
      kind: 'preauth_disconnect',
      sourceIp: '203.0.113.7',
      sourcePort: 4242,
      user: 'root',
      invalidUser: false,
    },
  },
  {
    name: 'connection closed by invalid user',
    input: 'Connection closed by invalid user admin 203.0.113.7 port 4242 [preauth]',
    expected: {
      kind: 'preauth_disconnect',
      sourceIp: '203.0.113.7',
      sourcePort: 4242,
      user: 'admin',
      invalidUser: true,
    },
  },
  {
    name: 'connection closed by invalid user with an empty name',
    input: 'Connection closed by invalid user  203.0.113.7 port 4242 [preauth]',
    expected: { kind: 'preauth_disconnect', sourceIp: '203.0.113.7', sourcePort: 4242, user: '', invalidUser: true },
  },
  {
    name: 'connection closed by an address, IPv6',
    input: `${HEADER}Connection closed by 2001:db8::7 port 4242 [preauth]`,
    expected: { kind: 'preauth_closed', sourceIp: '2001:db8::7', sourcePort: 4242, invalidUser: false },
  },
  {
    name: 'connection reset by an address',
    input: 'Connection reset by 203.0.113.7 port 4242 [preauth]',
    expected: { kind: 'preauth_closed', sourceIp: '203.0.113.7', sourcePort: 4242, invalidUser: false },
  },
  {
    name: 'disconnected from authenticating user',
    input: 'Disconnected from authenticating user root 203.0.113.7 port 4242 [preauth]',
    expected: {
      kind: 'preauth_disconnect',
      sourceIp: '203.0.113.7',
      sourcePort: 4242,
      user: 'root',
      invalidUser: false,
    },
  },
  {
    name: 'disconnected from user after a session is not pre-auth',
    input: 'Disconnected from user alice 192.0.2.10 port 52000',
    expected: { kind: 'other', sourceIp: '192.0.2.10', sourcePort: 52000, user: 'alice', invalidUser: false },
  },
  {
    name: 'received disconnect',
    input: 'Received disconnect from 203.0.113.7 port 4242:11: Bye Bye [preauth]',
    expected: { kind: 'preauth_closed', sourceIp: '203.0.113.7', sourcePort: 4242, invalidUser: false },
  },
  {
    name: 'received disconnect, IPv6, old form without port',
    input: 'Received disconnect from 2001:db8::7: 11: Bye Bye [preauth]',
    expected: { kind: 'preauth_closed', sourceIp: '2001:db8::7', invalidUser: false },
  },
  {
    name: 'no identification string',
    input: 'Did not receive identification string from 203.0.113.7 port 4242',
    expected: { kind: 'no_identification', sourceIp: '203.0.113.7', sourcePort: 4242, invalidUser: false },
  },
  {
    name: 'no identification string, IPv6, old form',
    input: `${HEADER}Did not receive identification string from 2001:db8::7`,
    expected: { kind: 'no_identification', sourceIp: '2001:db8::7', invalidUser: false },
  },
  {
    name: 'bad protocol version',
    input: "Bad protocol version identification 'GET / HTTP/1.1' from 203.0.113.7 port 4242",
    expected: { kind: 'bad_protocol', sourceIp: '203.0.113.7', sourcePort: 4242, invalidUser: false },
  },
  {
    name: 'port out of range is dropped, address kept',
    input: 'Failed password for root from 203.0.113.7 port 99999 ssh2',
    expected: { kind: 'failed_password', sourceIp: '203.0.113.7', user: 'root', invalidUser: false },
  },
  {
    name: 'trailing newline',
    input: 'Invalid user oracle from 203.0.113.9 port 51234\n',
    expected: { kind: 'invalid_user', sourceIp: '203.0.113.9', sourcePort: 51234, user: 'oracle', invalidUser: true },
  },
];

/** Attacker-chosen text (user names, banners, certificate IDs) naming 198.51.100.66, a bystander. */
const framing: Row[] = [
  {
    name: 'user name "x from <bystander>"',
    input: 'Failed password for invalid user x from 1.1.1.1 from 203.0.113.7 port 22 ssh2',
    expected: {
      kind: 'failed_password',
      sourceIp: '203.0.113.7',
      sourcePort: 22,
      user: 'x from 1.1.1.1',
      invalidUser: true,
    },
  },
  {
    name: 'user name ending like a whole auth line',
    input: 'Failed password for invalid user a b from 198.51.100.66 port 22 ssh2 from 203.0.113.7 port 22 ssh2',
    expected: {
      kind: 'failed_password',
      sourceIp: '203.0.113.7',
      sourcePort: 22,
      user: 'a b from 198.51.100.66 port 22 ssh2',
      invalidUser: true,
    },
  },
  {
    name: 'invalid user line',
    input: 'Invalid user x from 198.51.100.66 port 22 from 203.0.113.7 port 51234',
    expected: {
      kind: 'invalid_user',
      sourceIp: '203.0.113.7',
      sourcePort: 51234,
      user: 'x from 198.51.100.66 port 22',
      invalidUser: true,
    },
  },
  {
    name: 'maximum attempts line',
    input:
      'error: maximum authentication attempts exceeded for invalid user x from 198.51.100.66 port 1 ssh2 from 203.0.113.7 port 4242 ssh2 [preauth]',
    expected: {
      kind: 'max_auth_attempts',
      sourceIp: '203.0.113.7',
      sourcePort: 4242,
      user: 'x from 198.51.100.66 port 1 ssh2',
      invalidUser: true,
    },
  },
  {
    name: 'connection closed line, the token before the last port',
    input: 'Connection closed by invalid user x 198.51.100.66 port 22 203.0.113.7 port 4242 [preauth]',
    expected: {
      kind: 'preauth_disconnect',
      sourceIp: '203.0.113.7',
      sourcePort: 4242,
      user: 'x 198.51.100.66 port 22',
      invalidUser: true,
    },
  },
  {
    name: 'too many failures line',
    input:
      'Disconnecting invalid user x 198.51.100.66 port 22 203.0.113.7 port 4242: Too many authentication failures [preauth]',
    expected: {
      kind: 'too_many_auth_failures',
      sourceIp: '203.0.113.7',
      sourcePort: 4242,
      user: 'x 198.51.100.66 port 22',
      invalidUser: true,
    },
  },
  {
    name: 'disconnect reason naming a bystander',
    input: 'Received disconnect from 203.0.113.7 port 4242:11: from 198.51.100.66 port 22 [preauth]',
    expected: { kind: 'preauth_closed', sourceIp: '203.0.113.7', sourcePort: 4242, invalidUser: false },
  },
  {
    name: 'banner naming a bystander',
    input: "Bad protocol version identification 'x from 198.51.100.66 port 22' from 203.0.113.7 port 4242",
    expected: { kind: 'bad_protocol', sourceIp: '203.0.113.7', sourcePort: 4242, invalidUser: false },
  },
  {
    name: 'pam user naming a bystander',
    input:
      'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=x rhost=198.51.100.66',
    expected: { kind: 'pam_auth_failure', sourceIp: '203.0.113.7', user: 'x rhost=198.51.100.66', invalidUser: false },
  },
  {
    name: 'certificate ID without a fake key suffix',
    input: `Failed publickey for git from 203.0.113.7 port 3333 ssh2: RSA-CERT ${FP} ID x from 198.51.100.66 port 22 ssh2 (serial 1) CA RSA ${CA_FP}`,
    expected: { kind: 'failed_publickey', sourceIp: '203.0.113.7', sourcePort: 3333, user: 'git', invalidUser: false },
  },
  {
    name: 'certificate ID with a fake key suffix: ambiguous, so no address',
    input: `Failed publickey for git from 203.0.113.7 port 3333 ssh2: RSA-CERT ${FP} ID x from 198.51.100.66 port 22 ssh2: RSA ${FP} (serial 1) CA RSA ${CA_FP}`,
    expected: { kind: 'failed_publickey', invalidUser: false },
  },
  {
    name: 'another message quoted inside a banner is not read',
    input: `${HEADER}error: kex_exchange_identification: client sent invalid protocol identifier "Failed password for root from 198.51.100.66 port 22 ssh2"`,
    expected: { kind: 'other', invalidUser: false },
  },
  {
    name: 'a second sshd tag inside the message is not a header',
    input: `${HEADER}Invalid user sshd[1]: Accepted password for root from 198.51.100.66 port 22 ssh2 from 203.0.113.7 port 1`,
    expected: {
      kind: 'invalid_user',
      sourceIp: '203.0.113.7',
      sourcePort: 1,
      user: 'sshd[1]: Accepted password for root from 198.51.100.66 port 22 ssh2',
      invalidUser: true,
    },
  },
];

const unrecognised: Row[] = [
  { name: 'empty', input: '', expected: null },
  { name: 'not from sshd', input: 'GET /index.html HTTP/1.1 200', expected: null },
  {
    name: 'another program quoting an sshd message',
    input: 'Nov 24 10:00:01 web nginx[9]: Failed password for root from 198.51.100.66 port 22 ssh2',
    expected: null,
  },
  {
    name: 'sshd line with no address',
    input: `${HEADER}Server listening on 0.0.0.0 port 22.`,
    expected: { kind: 'other', invalidUser: false },
  },
  {
    name: 'sshd line, unknown message',
    input: 'Nov 24 10:00:01 bastion sshd: pam_unix(sshd:session): session opened',
    expected: { kind: 'other', invalidUser: false },
  },
  {
    name: 'known message whose address is a host name',
    input: 'Failed password for root from scanner.example.net port 22 ssh2',
    expected: {
      kind: 'failed_password',
      sourceHost: 'scanner.example.net',
      sourcePort: 22,
      user: 'root',
      invalidUser: false,
    },
  },
  {
    name: 'two lines in one message',
    input: 'Invalid user a from 203.0.113.9\nInvalid user b from 203.0.113.10',
    expected: null,
  },
  {
    name: 'over 8 KiB',
    input: 'Invalid user ' + 'a'.repeat(MAX_SSHD_MESSAGE_LENGTH) + ' from 203.0.113.9',
    expected: null,
  },
];

/** The facts as the rows give them; the rule id and pid are checked by the corpus. */
function expectFacts(actual: SshdFacts | null, expected: Omit<SshdFacts, 'ruleId'> | null): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  const { ruleId, pid, ...rest } = actual ?? ({} as SshdFacts);
  expect(typeof ruleId).toBe('string');
  expect(typeof pid === 'number' || pid === undefined).toBe(true);
  expect(rest).toEqual(expected);
}

describe(parseSshdMessage.name, () => {
  it.each(recognised)('$name', ({ input, expected }) => {
    expectFacts(parseSshdMessage(input), expected);
  });

  it.each(framing)('framing attempt: $name', ({ input, expected }) => {
    expectFacts(parseSshdMessage(input), expected);
  });

  it.each(unrecognised)('$name', ({ input, expected }) => {
    expectFacts(parseSshdMessage(input), expected);
  });

  it('never attributes a framing row to the bystander', () => {
    for (const { input } of framing) {
      expect(parseSshdMessage(input)?.sourceIp).not.toBe('198.51.100.66');
    }
  });

  it('parses hostile 8 KiB inputs in linear time', () => {
    const fill = (unit: string, head = '', tail = '') =>
      head + unit.repeat(Math.floor((MAX_SSHD_MESSAGE_LENGTH - head.length - tail.length) / unit.length)) + tail;
    const inputs = [
      fill(' from 1.1.1.1 port 1', 'Failed publickey for x', ' ssh2: RSA'),
      fill(` from 1.1.1.1 port 1 ssh2: RSA ${FP}`, 'Failed publickey for x'),
      fill(' port 1', 'Connection closed by user x', ' [preauth]'),
      fill(' rhost=', 'pam_unix(sshd:auth): authentication failure; '),
      fill('a', HEADER, ': '),
      fill(': ', 'x '),
    ];
    const started = Date.now();
    for (const input of inputs) {
      expect(input.length).toBeLessThanOrEqual(MAX_SSHD_MESSAGE_LENGTH);
      parseSshdMessage(input);
    }
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe(findSourceIpInMessage.name, () => {
  it.each([
    { name: 'known line', input: 'Invalid user oracle from 203.0.113.9 port 51234', expected: '203.0.113.9' },
    {
      name: 'framing attempt',
      input: 'Failed password for invalid user x from 1.1.1.1 from 203.0.113.7 port 22 ssh2',
      expected: '203.0.113.7',
    },
    { name: 'no address', input: `${HEADER}Server listening on :: port 22.`, expected: undefined },
    { name: 'not sshd', input: 'hello 203.0.113.9', expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(findSourceIpInMessage(input)).toBe(expected);
  });
});
