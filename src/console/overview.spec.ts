import { ingestCounters, MAX_SERIES, minuteSeries } from './overview';

const NOW = new Date('2026-11-24T10:05:30Z');
const minute = (text: string): number => Date.parse(text);

describe(minuteSeries.name, () => {
  it('puts each count in its minute, zeros elsewhere, busiest type first', () => {
    const result = minuteSeries(
      [
        { minute: minute('2026-11-24T10:03:00Z'), source: 'http_request', count: 2 },
        { minute: minute('2026-11-24T10:05:00Z'), source: 'ssh_login_failed', count: 7 },
        { minute: minute('2026-11-24T10:04:00Z'), source: '', count: 1 },
        { minute: minute('2026-11-24T09:00:00Z'), source: 'old', count: 99 },
      ],
      NOW,
      3,
    );
    expect(result.minutes).toEqual([
      minute('2026-11-24T10:03:00Z'),
      minute('2026-11-24T10:04:00Z'),
      minute('2026-11-24T10:05:00Z'),
    ]);
    expect(result.series).toEqual([
      { source: 'ssh_login_failed', counts: [0, 0, 7] },
      { source: 'http_request', counts: [2, 0, 0] },
      { source: '(not recorded)', counts: [0, 1, 0] },
    ]);
    expect(result.total).toBe(10);
    expect(result.lastMinute).toBe(7);
  });

  it('sums the types past the busiest as "other"', () => {
    const rows = Array.from({ length: MAX_SERIES + 2 }, (_, i) => ({
      minute: minute('2026-11-24T10:05:00Z'),
      source: `type-${i}`,
      count: 100 - i,
    }));
    const result = minuteSeries(rows, NOW, 1);
    expect(result.series).toHaveLength(MAX_SERIES + 1);
    expect(result.series.at(-1)).toEqual({ source: 'other', counts: [100 - MAX_SERIES + (100 - MAX_SERIES - 1)] });
    expect(result.total).toBe(rows.reduce((sum, r) => sum + r.count, 0));
  });
});

describe(ingestCounters.name, () => {
  const metric = (name: string, type: string, values: { labels: object; value: number }[]) => ({ name, type, values });
  it('keeps the non-zero ingest counters, whatever module registered them, and leaves the rest', () => {
    const result = ingestCounters([
      metric('soc_events_received_total', 'counter', [
        { labels: { route: 'raw', format: 'sshd' }, value: 5 },
        { labels: { route: 'hec', format: 'json' }, value: 0 },
      ]),
      metric('soc_lines_unparsed_total', 'counter', [{ labels: { reason: 'no source address' }, value: 2 }]),
      metric('soc_ingest_unusable_total', 'counter', [
        { labels: { route: 'raw', format: 'sshd', reason: 'no_address' }, value: 3 },
      ]),
      metric('soc_llm_calls_total', 'counter', [{ labels: { outcome: 'success' }, value: 3 }]),
      metric('soc_http_requests_total', 'counter', [{ labels: {}, value: 9 }]),
      metric('soc_events_in_queue', 'gauge', [{ labels: {}, value: 4 }]),
    ]);
    expect(result).toEqual([
      { name: 'soc_events_received_total', labels: { route: 'raw', format: 'sshd' }, value: 5 },
      { name: 'soc_ingest_unusable_total', labels: { route: 'raw', format: 'sshd', reason: 'no_address' }, value: 3 },
      { name: 'soc_lines_unparsed_total', labels: { reason: 'no source address' }, value: 2 },
    ]);
  });
});
