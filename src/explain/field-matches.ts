import { NormalisedEvent } from '../domain/event';
import {
  detectMatches,
  hasCommandInjection,
  hasLog4Shell,
  hasPathTraversal,
  hasSqlInjection,
  hasXss,
  isAuthFailure,
  isAuthSuccess,
  isScannerUserAgent,
  isSensitiveFileProbe,
} from '../ingest/signals/detectors';
import { Signal, SignalMatch } from '../domain/signal';
import { shownText } from './shown-text';

type Field = 'url' | 'message' | 'userAgent' | 'user' | 'eventType';

/** Which fields each detector reads, in the order it reads them, and its test on one field. */
const DETECTORS: Partial<Record<Signal, [Field[], (text: string) => boolean]>> = {
  sql_injection: [['url', 'message', 'userAgent'], hasSqlInjection],
  xss: [['url', 'message', 'userAgent'], hasXss],
  path_traversal: [['url', 'message'], hasPathTraversal],
  command_injection: [['url', 'message', 'userAgent'], hasCommandInjection],
  log4shell: [['url', 'message', 'userAgent', 'user'], hasLog4Shell],
  scanner: [['userAgent'], isScannerUserAgent],
  sensitive_file_probe: [['url'], isSensitiveFileProbe],
  ssh_probe: [['eventType'], (type) => /^ssh_/.test(type)],
};

/** For auth signals outside sshd: the event type and outcome when they decided, else the message. */
function authMatch(event: NormalisedEvent, signal: 'auth_failure' | 'auth_success'): SignalMatch {
  const test = signal === 'auth_failure' ? isAuthFailure : isAuthSuccess;
  const byType = test({ eventType: event.eventType, outcome: event.outcome });
  const field = byType ? 'eventType' : 'message';
  const matched = byType ? `${event.eventType ?? ''} (${event.outcome})` : (event.message ?? '');
  return {
    signal,
    ruleId: `${signal.replace('_', '-')}-${byType ? 'type' : 'message'}`,
    field,
    matched: shownText(matched),
  };
}

/**
 * What each signal matched in an event, for the signals no format-specific rule explained:
 * the first field (as the detector reads them) that raises it on its own.
 */
export function fieldMatches(event: NormalisedEvent, signals: Signal[]): SignalMatch[] {
  // The web detectors and rules name their own rule and matched text (the first hit per signal).
  const web = new Map<Signal, SignalMatch>();
  for (const match of detectMatches(event)) {
    if (!web.has(match.signal)) {
      web.set(match.signal, match);
    }
  }
  return signals.map((signal): SignalMatch => {
    if (signal === 'auth_failure' || signal === 'auth_success') {
      return authMatch(event, signal);
    }
    const hit = signal === 'ssh_probe' ? undefined : web.get(signal);
    if (hit !== undefined) {
      return { ...hit, matched: shownText(hit.matched) };
    }
    const detector = DETECTORS[signal];
    if (detector === undefined) {
      return { signal, ruleId: `detector-${signal.replace(/_/g, '-')}`, field: 'request', matched: '' };
    }
    const [fields, test] = detector;
    const field = fields.find((name) => event[name] !== undefined && test(event[name]));
    return {
      signal,
      ruleId: `detector-${signal.replace(/_/g, '-')}`,
      field: field ?? fields[0],
      matched: shownText(field === undefined ? '' : (event[field] ?? '')),
    };
  });
}
