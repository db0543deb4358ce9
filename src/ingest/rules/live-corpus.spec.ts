import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseLine } from '../parsers/line';
import { tag } from '../signals/detectors';
import { BEHAVIOUR_MARKERS } from '../../domain/signal';

/** One table runner over test/corpus/web/live: real tool traffic, real benign traffic, per format. */
interface Expectation {
  file: string;
  attacks?: number;
  marked?: number;
  firstAttack?: number;
  parsedAtLeast?: number;
  benign?: boolean;
}

const DIR = join(__dirname, '../../../test/corpus/web/live');
const ROWS = parse(readFileSync(join(DIR, 'expectations.yaml'), 'utf8')) as Expectation[];
const now = new Date('2026-12-07T00:00:00Z');

function measure(file: string) {
  const lines = readFileSync(join(DIR, file), 'utf8').split('\n').filter(Boolean);
  let parsed = 0;
  let attacks = 0;
  let marked = 0;
  let firstAttack = Infinity;
  lines.forEach((line, index) => {
    const result = parseLine(line, { now });
    if (!result.ok) {
      return;
    }
    parsed += 1;
    const signals = tag(result.event).signals;
    if (signals.some((s) => !BEHAVIOUR_MARKERS.has(s) && s !== 'scanner')) {
      attacks += 1;
      firstAttack = Math.min(firstAttack, index + 1);
    }
    if (signals.some((s) => s !== 'dynamic_request')) {
      marked += 1;
    }
  });
  return { lines: lines.length, parsed, attacks: attacks / lines.length, marked: marked / lines.length, firstAttack };
}

describe('live web corpus', () => {
  it.each(ROWS)('$file', (row) => {
    const got = measure(row.file);
    expect(got.parsed / got.lines).toBeGreaterThanOrEqual(row.parsedAtLeast ?? 1);
    if (row.benign) {
      expect(got.attacks).toBe(0);
      return;
    }
    if (row.attacks !== undefined) {
      expect(got.attacks).toBeGreaterThanOrEqual(row.attacks);
    }
    if (row.marked !== undefined) {
      expect(got.marked).toBeGreaterThanOrEqual(row.marked);
    }
    if (row.firstAttack !== undefined) {
      expect(got.firstAttack).toBeLessThanOrEqual(row.firstAttack);
    }
  });
});
