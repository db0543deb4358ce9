import { parseLine } from '../parsers/line';
import { parseRecord } from '../record';
import { classifyFailure } from './item-outcome';
import { FAILURE_KINDS, ItemFailure } from '../../domain/item-outcome';

const NOW = new Date('2026-12-06T03:20:00Z');

/** Each row runs the real parsers, so a reworded reason that no longer sorts fails here. */
describe(classifyFailure.name, () => {
  it.each<{ name: string; reason: () => string; expected: ItemFailure }>([
    {
      name: 'pam_unix check pass, user unknown (sshd, no address)',
      reason: () =>
        reasonOf(
          parseLine('Dec  6 03:10:01 bastion-1 sshd[1201]: pam_unix(sshd:auth): check pass; user unknown', {
            now: NOW,
          }),
        ),
      expected: { status: 'unparsed', kind: 'no_address' },
    },
    {
      name: 'a CRON session line',
      reason: () =>
        reasonOf(
          parseLine(
            'Dec  6 03:17:01 bastion-1 CRON[1301]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
            {
              now: NOW,
            },
          ),
        ),
      expected: { status: 'unparsed', kind: 'no_address' },
    },
    {
      name: 'a JSON record with no address',
      reason: () => reasonOf(parseRecord({ message: 'session closed for user alice' }, NOW)),
      expected: { status: 'unparsed', kind: 'no_address' },
    },
    {
      name: 'text in no known format',
      reason: () => reasonOf(parseLine('this line is not any log format at all', { now: NOW })),
      expected: { status: 'unparsed', kind: 'unknown_format' },
    },
    {
      name: 'a line not in the forced format',
      reason: () => reasonOf(parseLine('Dec  6 03:10:01 bastion-1 sshd[1]: x', { now: NOW, format: 'access' })),
      expected: { status: 'unparsed', kind: 'unknown_format' },
    },
    {
      name: 'a blank line',
      reason: () => reasonOf(parseLine('   ', { now: NOW })),
      expected: { status: 'unparsed', kind: 'unknown_format' },
    },
    {
      name: 'a JSON line that is not JSON',
      reason: () => reasonOf(parseLine('{"source_ip":', { now: NOW })),
      expected: { status: 'rejected', kind: 'invalid_json' },
    },
    {
      name: 'a JSON line nested too deep',
      reason: () => reasonOf(parseLine(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, { now: NOW })),
      expected: { status: 'rejected', kind: 'invalid_json' },
    },
    {
      name: 'an NDJSON line nested too deep',
      reason: () => 'JSON nested deeper than 32 levels',
      expected: { status: 'rejected', kind: 'invalid_json' },
    },
    {
      name: 'an NDJSON line that is not JSON',
      reason: () => 'line is not valid JSON',
      expected: { status: 'rejected', kind: 'invalid_json' },
    },
    {
      name: 'a line over 64 KiB',
      reason: () => reasonOf(parseLine('x'.repeat(70_000), { now: NOW })),
      expected: { status: 'rejected', kind: 'too_long' },
    },
    {
      name: 'an address that is not one',
      reason: () => reasonOf(parseRecord({ source_ip: '999.1.1.1' }, NOW)),
      expected: { status: 'rejected', kind: 'invalid_field' },
    },
    {
      name: 'a field of the wrong type',
      reason: () => reasonOf(parseRecord({ source_ip: '192.0.2.1', source_port: 'ssh' }, NOW)),
      expected: { status: 'rejected', kind: 'invalid_field' },
    },
    {
      name: 'a record that is not an object',
      reason: () => reasonOf(parseRecord('text', NOW)),
      expected: { status: 'rejected', kind: 'invalid_field' },
    },
  ])('$name', ({ reason, expected }) => {
    expect(classifyFailure(reason())).toEqual(expected);
  });

  it('uses only the declared kinds', () => {
    for (const reason of ['', 'anything', 'not a cef line: x', 'no usable source address']) {
      expect(FAILURE_KINDS).toContain(classifyFailure(reason).kind);
    }
  });
});

function reasonOf(parsed: { ok: true } | { ok: false; reason: string }): string {
  if (parsed.ok) {
    throw new Error('expected a failure');
  }
  return parsed.reason;
}
