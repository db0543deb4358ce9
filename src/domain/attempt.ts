/**
 * What one log line says about an authentication attempt. One attempt writes two to four lines
 * (`Invalid user`, pam_unix's `authentication failure`, `Failed password`, `Connection closed
 * … [preauth]`); counting lines would block a person who mistyped twice. The lines of one
 * connection share sshd's pid and the client's port, so each line carries the keys of its
 * connection and the role it plays; Memory (auth-sessions.ts) counts attempts per connection
 * from the roles, in the actor's profile, so that the count is the same whether the lines came
 * in one request, one by one to several instances, or from a replay.
 *
 * Roles:
 * - `failed`: `Failed password|keyboard-interactive|hostbased|gssapi…`, one attempt each.
 * - `key`: `Failed publickey`, one attempt each, unless the connection logged in.
 * - `pam`: pam_unix's first `authentication failure;` of a connection (it logs only the first).
 * - `pamMore`: pam_unix's `N more authentication failures;` at the end of the connection.
 * - `pamError`: sshd's `PAM: Authentication failure for …`, one per keyboard-interactive try.
 * - `companion`: lines that go with an attempt (`Invalid user`, `Failed none`, refusals, the
 *   preauth disconnects, maximum attempts): a connection with only these is one attempt.
 * - `success`: `Accepted …`: the connection's PAM and companion lines no longer count.
 */
export type AttemptRole = 'failed' | 'key' | 'pam' | 'pamMore' | 'pamError' | 'companion' | 'success';

export interface AttemptEvidence {
  /** The connection: `p<host>#<pid>` and/or `a<host>:<client port>`, unique within one actor. */
  keys: string[];
  role: AttemptRole;
  /** Occurrences this line stands for (`message repeated 3 times`, `PAM 3 more …`). */
  count: number;
}
