import { Parsed } from './fields';
import { parseSshdMessage } from './sshd';
import { embeddedFormat, readSyslog, SyslogMessage } from './syslog';
import { LineFormat } from './formats';

/** The format, and the syslog parse made on the way (so that parseLine does not repeat it). */
export interface Detection {
  format: LineFormat;
  syslog?: Parsed<SyslogMessage>;
}

// BSD and ISO stamps, and journalctl's short-full and short-unix forms.
const SYSLOG_STAMP =
  /^(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d|\d{4}-\d{2}-\d{2}[Tt ]\d{2}:|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} |\d{9,11}(?:\.\d{1,9})? )/i;
const RFC5424_START = /^<\d{1,3}>\d{1,2} /;
/** An address-shaped first word and an ident: `203.0.113.7 - `, `2001:db8::7 - `. */
const ACCESS_START = /^(?:[^\s:[\]]{0,255}:\d{1,5} )?[0-9A-Fa-f.:]{2,45} \S{1,64} /;
const EPOCH = new Date(0);

// ---- web formats (issue 14): each by the first characters its documentation gives it.
const ALB_START = /^(?:http|https|h2|grpcs|ws|wss) \d{4}-\d{2}-\d{2}T\d{2}:/;
const IIS_START =
  /^(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S{1,64} [A-Za-z][A-Za-z_-]{0,15} \/|#(?:Software: Microsoft Internet Information Services|Fields: ))/;
const NGINX_ERROR_START = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[\w{1,16}\] \d/;
const APACHE_ERROR_START = /^\[(?:[A-Za-z]{3} )?[A-Za-z]{3} \d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})? \d{4}\] \[/;
const HAPROXY_START = /^\S{2,64}:\d{1,5} \[\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?\] /;

function webLineFormat(line: string): LineFormat | undefined {
  if (ALB_START.test(line)) {
    return 'alb';
  }
  if (IIS_START.test(line)) {
    return 'iis';
  }
  if (NGINX_ERROR_START.test(line)) {
    return 'nginx_error';
  }
  if (APACHE_ERROR_START.test(line)) {
    return 'apache_error';
  }
  return HAPROXY_START.test(line) ? 'haproxy' : undefined;
}

/**
 * Which format a line is in, from its first characters: `{` JSON; `CEF:` / `LEEF:`; `<PRI>`
 * or a time stamp → syslog, and CEF or LEEF when the syslog MSG starts with `CEF:`/`LEEF:`
 * (only there: text further into a message is the sender's and must not switch the format);
 * an OpenSSH message on its own → sshd; `address ident user [` → access; anything else
 * syslog3164, whose parser then says what is missing.
 */
export function classifyLine(line: string, now: Date): Detection {
  if (line.trimStart().startsWith('{')) {
    return { format: 'json' };
  }
  const embedded = embeddedFormat(line);
  if (embedded !== undefined) {
    return { format: embedded };
  }
  const web = webLineFormat(line);
  if (web !== undefined) {
    return { format: web };
  }
  if (line.startsWith('<') || SYSLOG_STAMP.test(line)) {
    const syslog = readSyslog(line, now);
    if (!syslog.ok) {
      return { format: RFC5424_START.test(line) ? 'syslog5424' : 'syslog3164', syslog };
    }
    const inner = embeddedFormat(syslog.value.message) ?? webLineFormat(syslog.value.message);
    return { format: inner ?? (syslog.value.rfc === 5424 ? 'syslog5424' : 'syslog3164'), syslog };
  }
  if (parseSshdMessage(line) !== null) {
    return { format: 'sshd' };
  }
  if (ACCESS_START.test(line) && line.includes(' [')) {
    return { format: 'access' };
  }
  return { format: 'syslog3164' };
}

export function detectFormat(line: string): LineFormat {
  return classifyLine(line, EPOCH).format;
}
