import { parseManualDuration } from './duration';

describe(parseManualDuration.name, () => {
  it.each([
    { text: '4h', seconds: 14_400 },
    { text: '30m', seconds: 1800 },
    { text: '90s', seconds: 90 },
    { text: '1h30m', seconds: 5400 },
    { text: '1h30m15s', seconds: 5415 },
    { text: '7d', seconds: 604_800 },
    { text: '3600', seconds: 3600 },
    { text: ' 10m ', seconds: 600 },
    { text: '1', seconds: 1 },
    { text: '365d', seconds: 31_536_000 },
    { text: '8760h', seconds: 31_536_000 },
  ])('$text → $seconds s', ({ text, seconds }) => {
    expect(parseManualDuration(text)).toBe(seconds);
  });

  it.each([
    { text: '', message: /is not like/ },
    { text: '4x', message: /is not like/ },
    { text: '1.5h', message: /is not like/ },
    { text: '-5m', message: /is not like/ },
    { text: 'h', message: /is not like/ },
    { text: '4h 30m', message: /is not like/ },
    { text: '0', message: /at least 1 second/ },
    { text: '0s', message: /at least 1 second/ },
    { text: '366d', message: /at most 365 days/ },
    { text: '8761h', message: /at most 365 days/ },
    { text: '999999999999', message: /at most 365 days/ },
  ])('refuses $text', ({ text, message }) => {
    expect(() => parseManualDuration(text)).toThrow(message);
  });
});
