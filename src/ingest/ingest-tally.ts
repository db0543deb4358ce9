/**
 * Where a record entered the service: the label `source` of the ingest metrics. A fixed list,
 * so that the metrics' label values stay bounded whatever a client sends.
 */
export const INGEST_SOURCES = [
  'rest',
  'rest_batch',
  'raw',
  'hec_event',
  'hec_raw',
  'syslog_tcp',
  'syslog_udp',
] as const;
export type IngestSource = (typeof INGEST_SOURCES)[number];

/**
 * Why a record could not be used, reduced to a fixed vocabulary. The reason a client gets back
 * names fields and values; a metric label must not (unbounded, and attacker-chosen).
 */
export const UNPARSED_REASONS = [
  'invalid_json',
  'not_an_object',
  'invalid_field',
  'no_source_address',
  'invalid_address',
  'invalid_time',
  'too_long',
  'empty',
  'unrecognised',
  'other',
] as const;
export type UnparsedReason = (typeof UNPARSED_REASONS)[number];

/** First match wins; the patterns read the service's own reason texts, never a client's input. */
const REASON_PATTERNS: readonly [RegExp, UnparsedReason][] = [
  [/invalid JSON|not valid JSON/, 'invalid_json'],
  [/^record must be a JSON object/, 'not_an_object'],
  [/^no usable source address/, 'no_source_address'],
  [/ is not a valid IP address$/, 'invalid_address'],
  [/^timestamp /, 'invalid_time'],
  [/^line is longer than/, 'too_long'],
  [/^empty line$/, 'empty'],
  [/^not an? \w+ line: /, 'unrecognised'],
  [/ must |should not|must be/, 'invalid_field'],
];

/** The reason label of a parser's or validator's refusal (see UNPARSED_REASONS). */
export function unparsedReason(reason: string | undefined): UnparsedReason {
  if (reason === undefined) {
    return 'other';
  }
  for (const [pattern, label] of REASON_PATTERNS) {
    if (pattern.test(reason)) {
      return label;
    }
  }
  return 'other';
}

/**
 * What one request (or syslog read) brought, counted as it is parsed and handed to the
 * metrics once: one small object per request, nothing per event but additions.
 */
export class IngestTally {
  received = 0;
  /** Events parsed, by format (`json` for JSON records, else the line format). */
  readonly parsed = new Map<string, number>();
  /** Records refused, by `format` then reason. */
  readonly unparsed = new Map<string, Map<UnparsedReason, number>>();

  constructor(readonly source: IngestSource) {}

  ok(format: string): void {
    this.received += 1;
    this.parsed.set(format, (this.parsed.get(format) ?? 0) + 1);
  }

  failed(format: string | undefined, reason: string | undefined): void {
    this.received += 1;
    const key = format ?? 'unknown';
    const byReason = this.unparsed.get(key) ?? new Map<UnparsedReason, number>();
    const label = unparsedReason(reason);
    byReason.set(label, (byReason.get(label) ?? 0) + 1);
    this.unparsed.set(key, byReason);
  }
}
