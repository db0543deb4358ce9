import { actorScope, ActorScope } from '../common/actor-key';
import { classifyLine } from '../ingest/parsers/detect';
import { LineFormat } from '../ingest/parsers/formats';
import { parseLine } from '../ingest/parsers/line';
import { LineStream } from '../ingest/parsers/web-lines';
import { parseServiceAuth } from '../ingest/parsers/auth-services';
import { parseSshdMessage, parseSshdSyslog, SshdFacts } from '../ingest/parsers/sshd';
import { readSyslog } from '../ingest/parsers/syslog';
import { AttemptEvidence } from '../domain/attempt';
import { detectSignals } from '../ingest/signals/detectors';
import { Signal, SignalMatch } from '../domain/signal';
import { fieldMatches } from './field-matches';
import { shownText } from './shown-text';

/**
 * What the service makes of one line, without storing anything: the format it was read as,
 * the actor it would be filed under, the event time, the signals and what each matched. The
 * `fail2ban-regex -v` / `cscli explain` of this service (POST /explain, replay --explain).
 */
export type LineExplanation =
  | {
      format: LineFormat;
      actor: string;
      /** `ip`; `hostname` or `local` for an actor without an address (common/actor-key.ts). */
      scope: Exclude<ActorScope, 'range'>;
      time: string;
      outcome: string;
      eventType?: string;
      signals: Signal[];
      matches: SignalMatch[];
      /** The authentication attempt the line belongs to (sshd, PAM): lines of one count once. */
      attempt?: AttemptEvidence;
    }
  | { format?: LineFormat; actor: null; reason: string };

/** The rule that read the line's program message (the syslog header's program decides). */
function programRule(text: string, format: LineFormat, now: Date): { ruleId: string } | null {
  if (format === 'sshd') {
    const sshd = parseSshdMessage(text);
    return sshd === null || sshd.kind === 'other' ? null : sshd;
  }
  if (format !== 'syslog3164' && format !== 'syslog5424') {
    return null;
  }
  const syslog = readSyslog(text, now);
  if (!syslog.ok) {
    return null;
  }
  const { app, procId, message } = syslog.value;
  const sshd: SshdFacts | null = parseSshdSyslog({ app, procId }, message);
  if (sshd !== null) {
    return sshd.kind === 'other' ? null : sshd;
  }
  return parseServiceAuth(app, message);
}

/** The program's rule that read the line (sshd, an auth service), for the signals it raises. */
function programMatches(
  rule: { ruleId: string } | null,
  message: string | undefined,
  signals: Signal[],
): SignalMatch[] {
  if (rule === null) {
    return [];
  }
  const matched = shownText(message ?? '');
  const wanted = signals.filter(
    (signal) => signal === 'auth_failure' || signal === 'auth_success' || signal === 'ssh_probe',
  );
  return wanted.map((signal) => ({ signal, ruleId: rule.ruleId, field: 'message', matched }));
}

export interface ExplainOptions {
  now: Date;
  format?: LineFormat;
  /** false in a replay: event time as written, never clamped to `now`. */
  clampFuture?: boolean;
  /** The lines' stream (one request, one file): an IIS #Fields: directive holds for the lines after it. */
  stream?: LineStream;
}

/** One line explained (see LineExplanation). Pure: `now` places year-less stamps. */
export function explainLine(line: string, options: ExplainOptions): LineExplanation {
  const { now } = options;
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const detected = options.format ?? (text.trim() === '' ? undefined : classifyLine(text, now).format);
  const parsed = parseLine(text, {
    now,
    format: options.format,
    clampFuture: options.clampFuture,
    stream: options.stream,
  });
  if (!parsed.ok) {
    return { ...(detected === undefined ? {} : { format: detected }), actor: null, reason: parsed.reason };
  }
  const event = parsed.event;
  const format = (event.lineFormat as LineFormat | undefined) ?? detected ?? 'syslog3164';
  const signals = detectSignals(event);
  const rule = format === 'json' ? null : programRule(text, format, now);
  const fromSshd = programMatches(rule, event.message, signals);
  const covered = new Set(fromSshd.map((match) => match.signal));
  const matches = [
    ...fromSshd,
    ...fieldMatches(
      event,
      signals.filter((signal) => !covered.has(signal)),
    ),
  ];
  return {
    format,
    actor: event.sourceIp,
    scope: actorScope(event.sourceIp) as Exclude<ActorScope, 'range'>,
    time: event.eventTime.toISOString(),
    outcome: event.outcome,
    ...(event.eventType === undefined ? {} : { eventType: event.eventType }),
    signals,
    matches,
    ...(event.attempt === undefined ? {} : { attempt: event.attempt }),
  };
}
