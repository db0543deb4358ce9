import { progressLine, summaryLine } from './progress';

describe(progressLine.name, () => {
  it.each([
    {
      name: 'at the start',
      progress: { lines: 0, total: 1000, elapsedMs: 0 },
      expected: '[----------------------------------------]   0.0%  0/1,000 lines  0 lines/s  ETA --:--',
    },
    {
      name: 'half way at 250 lines/s',
      progress: { lines: 500, total: 1000, elapsedMs: 2000 },
      expected: '[####################--------------------]  50.0%  500/1,000 lines  250 lines/s  ETA 0:02',
    },
    {
      name: 'an hour left',
      progress: { lines: 100, total: 360_100, elapsedMs: 1000 },
      expected: '[----------------------------------------]   0.0%  100/360,100 lines  100 lines/s  ETA 1:00:00',
    },
    {
      name: 'done',
      progress: { lines: 1000, total: 1000, elapsedMs: 1000 },
      expected: '[########################################] 100.0%  1,000/1,000 lines  1,000 lines/s  ETA 0:00',
    },
  ])('$name', ({ progress, expected }) => {
    expect(progressLine(progress, 120)).toBe(expected);
  });

  it('fits a narrow terminal', () => {
    expect(progressLine({ lines: 500, total: 1000, elapsedMs: 2000 }, 60).length).toBeLessThanOrEqual(59);
  });
});

describe(summaryLine.name, () => {
  it('says lines, time and rate', () => {
    expect(summaryLine({ lines: 12_345, total: 12_345, elapsedMs: 2500 })).toBe(
      'replayed 12,345 lines in 2.5 s (4,938 lines/s)',
    );
  });
});
