import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { trustedProxyNetworks } from '../../config/trust-proxy';
import { parseLine } from './line';

interface FormatCase {
  name: string;
  line: string;
  trustProxy?: string;
  expect: Record<string, unknown>;
}

const CASES = parse(
  readFileSync(join(__dirname, '../../../test/corpus/web/formats/access-formats.yaml'), 'utf8'),
) as FormatCase[];
const now = new Date('2026-12-07T00:00:00Z');

describe('web log formats', () => {
  it.each(CASES)('$name', ({ line, trustProxy, expect: expected }) => {
    const parsed = parseLine(line, { now, trustedProxies: trustProxy ? trustedProxyNetworks(trustProxy) : [] });
    if (!parsed.ok) {
      throw new Error(parsed.reason);
    }
    const event = { ...parsed.event, eventTime: parsed.event.eventTime.toISOString() } as Record<string, unknown>;
    expect(event).toMatchObject(expected);
  });
});
