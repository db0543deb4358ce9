import { DecisionTally, MinuteCount } from '../memory/console-queries';

/** One counter of the ingest path as the metrics registry holds it (whatever module registered it). */
export interface IngestCounter {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MinuteSeries {
  source: string;
  counts: number[];
}

export interface Overview {
  now: string;
  eventsPerMinute: { minutes: number[]; series: MinuteSeries[]; total: number; lastMinute: number };
  ingestCounters: IngestCounter[];
  decisions: DecisionTally[];
  pendingCount: number;
  llm: {
    provider: string;
    model: string | null;
    breaker: string;
    queueDepth: number;
    inFlight: number;
    budgetUsedLastMinute: number;
    calls: { success: number; failure: number };
    fallbacks: number;
  };
}

/** How many sources (route · format) get a series of their own; the rest are summed as "other". */
export const MAX_SERIES = 6;

/**
 * Per-minute counts over the `width` minutes ending with the one `now` is in, one series per
 * source, route and line format (the busiest first, the rest as "other"), zeros where nothing arrived.
 */
export function minuteSeries(rows: readonly MinuteCount[], now: Date, width: number): Overview['eventsPerMinute'] {
  const last = Math.floor(now.getTime() / 60_000) * 60_000;
  const minutes = Array.from({ length: width }, (_, i) => last - (width - 1 - i) * 60_000);
  const bySource = new Map<string, number[]>();
  const totals = new Map<string, number>();
  for (const row of rows) {
    const index = (row.minute - minutes[0]) / 60_000;
    if (index < 0 || index >= width) {
      continue;
    }
    const name = row.source === '' ? '(not recorded)' : row.source;
    const counts = bySource.get(name) ?? new Array<number>(width).fill(0);
    counts[index] += row.count;
    bySource.set(name, counts);
    totals.set(name, (totals.get(name) ?? 0) + row.count);
  }
  const ranked = [...bySource.keys()].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || a.localeCompare(b));
  const series: MinuteSeries[] = ranked.slice(0, MAX_SERIES).map((source) => ({
    source,
    counts: bySource.get(source) ?? [],
  }));
  const rest = ranked.slice(MAX_SERIES);
  if (rest.length > 0) {
    const other = new Array<number>(width).fill(0);
    for (const name of rest) {
      (bySource.get(name) ?? []).forEach((n, i) => (other[i] += n));
    }
    series.push({ source: 'other', counts: other });
  }
  const sumAt = (i: number): number => series.reduce((sum, s) => sum + s.counts[i], 0);
  const total = series.reduce((sum, s) => sum + s.counts.reduce((a, b) => a + b, 0), 0);
  return { minutes, series, total, lastMinute: sumAt(width - 1) };
}

/**
 * The counters of the ingest path found in a registry dump: any counter about ingest, events,
 * lines or records (received, parsed, unparsed and why: `soc_ingest_items_total`,
 * `soc_ingest_unusable_total`…), the LLM's own excepted. The console reads them
 * by shape, not by name, so it shows whatever the metrics module registers.
 */
export function ingestCounters(
  metrics: readonly { name: string; type: string; values: readonly { labels: object; value: number }[] }[],
): IngestCounter[] {
  const wanted = /^soc_(?!llm_)\w*(ingest|event|line|record|pars)\w*_total$/;
  return metrics
    .filter((metric) => metric.type === 'counter' && wanted.test(metric.name))
    .flatMap((metric) =>
      metric.values
        .filter((v) => v.value > 0)
        .map((v) => ({
          name: metric.name,
          labels: Object.fromEntries(Object.entries(v.labels).map(([k, l]) => [k, String(l)])),
          value: v.value,
        })),
    )
    .sort((a, b) => a.name.localeCompare(b.name) || b.value - a.value);
}
