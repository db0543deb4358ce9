import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchFile } from './line-batches';
import { logEnd } from './log-end';

const line = (stamp: string, port: number) =>
  `${stamp} bastion sshd[${port}]: Failed password for root from 203.0.113.7 port ${port} ssh2`;

describe(logEnd.name, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-log-end-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, lines: string[]): string => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };

  it.each([
    {
      name: 'a year-less log a few days ahead of the clock ends last year, not in the future',
      lines: [line('Dec  9 03:59:01', 1), line('Dec  9 04:00:50', 2)],
      wall: '2026-12-06T05:00:00Z',
      expected: '2025-12-09T04:00:50.000Z',
    },
    {
      name: 'a year-less log of today ends today',
      lines: [line('Dec  6 03:59:01', 1), line('Dec  6 04:00:50', 2)],
      wall: '2026-12-06T05:00:00Z',
      expected: '2026-12-06T04:00:50.000Z',
    },
    {
      name: 'ISO stamps are taken as written, even ahead of the clock',
      lines: [line('2027-01-02T00:00:00Z', 1)],
      wall: '2026-12-06T05:00:00Z',
      expected: '2027-01-02T00:00:00.000Z',
    },
    {
      name: 'a log without time stamps gives the wall clock',
      lines: ['Failed password for root from 203.0.113.7 port 1 ssh2'],
      wall: '2026-12-06T05:00:00Z',
      expected: '2026-12-06T05:00:00.000Z',
    },
  ])('$name', ({ name, lines, wall, expected }) => {
    expect(logEnd(file(`${name.length}.log`, lines), undefined, new Date(wall)).toISOString()).toBe(expected);
  });

  it('replays a log across New Year in order, the same on any day', async () => {
    const path = file('new-year.log', [line('Dec 31 23:59:58', 1), line('Jan  1 00:00:03', 2)]);
    for (const wall of ['2027-01-01T00:10:00Z', '2027-06-30T00:00:00Z', '2027-12-30T00:00:00Z']) {
      const source = batchFile(path, { now: new Date(wall), nowFromLog: true, batchSize: 100, batchSpanSeconds: 600 });
      const times: string[] = [];
      for await (const batch of source.batches) {
        times.push(...batch.events.map((event) => event.eventTime.toISOString()));
      }
      expect(times).toEqual(['2026-12-31T23:59:58.000Z', '2027-01-01T00:00:03.000Z']);
    }
  });
});
