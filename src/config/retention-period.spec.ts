import { describePeriod, parseRetention, retentionPeriods } from './retention-period';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe(parseRetention.name, () => {
  it.each([
    { text: '30d', ms: 30 * DAY },
    { text: '12h', ms: 12 * 3_600_000 },
    { text: '90m', ms: 90 * MINUTE },
    { text: '1d12h', ms: 1.5 * DAY },
    { text: ' 365D ', ms: 365 * DAY },
    { text: '1m', ms: MINUTE },
    { text: '60s', ms: MINUTE },
    { text: 'off', ms: null },
    { text: 'OFF', ms: null },
  ])('$text → $ms', ({ text, ms }) => {
    expect(parseRetention(text, MINUTE)).toBe(ms);
  });

  it.each([
    { text: '30', message: /not a period/ },
    { text: '30 days', message: /not a period/ },
    { text: '-1d', message: /not a period/ },
    { text: '1.5d', message: /not a period/ },
    { text: '', message: /not a period/ },
    { text: '1w', message: /not a period/ },
    { text: '59s', message: /at least 1m/ },
    { text: '0d', message: /at least 1m/ },
    { text: '3651d', message: /at most 3650d/ },
    { text: `${'9'.repeat(40)}d`, message: /not a period/ },
  ])('refuses $text', ({ text, message }) => {
    expect(() => parseRetention(text, MINUTE)).toThrow(message);
  });
});

describe(describePeriod.name, () => {
  it.each([
    { ms: 7 * DAY, text: '7d' },
    { ms: 36 * 3_600_000, text: '36h' },
    { ms: MINUTE, text: '1m' },
    { ms: 1500, text: '1500ms' },
  ])('$ms → $text', ({ ms, text }) => {
    expect(describePeriod(ms)).toBe(text);
  });
});

describe(retentionPeriods.name, () => {
  it('keeps decisions at least 7 days and audit rows at least a day', () => {
    expect(() => retentionPeriods({ EVENT_RETENTION: '1m', DECISION_RETENTION: '6d', AUDIT_RETENTION: '1d' })).toThrow(
      /at least 7d/,
    );
    expect(() => retentionPeriods({ EVENT_RETENTION: '1m', DECISION_RETENTION: '7d', AUDIT_RETENTION: '12h' })).toThrow(
      /at least 1d/,
    );
    expect(retentionPeriods({ EVENT_RETENTION: '1m', DECISION_RETENTION: 'off', AUDIT_RETENTION: '1d' })).toEqual({
      events: MINUTE,
      decisions: null,
      audit: DAY,
    });
  });
});
