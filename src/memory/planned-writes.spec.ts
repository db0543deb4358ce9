import { laidOver, LedgerNote, NOTHING_PLANNED, PlannedWrites } from './planned-writes';
import { StoredDecision } from '../domain/decision';

const NOW = new Date('2026-11-24T12:00:00Z');
const NET = '198.51.100.0/24';

const note = (ip: string): LedgerNote => ({ network: NET, ip, simulated: false, at: NOW.getTime() });
const decision = (id: string) => ({ id, value: NET }) as StoredDecision;

describe(laidOver.name, () => {
  const actor = (ip: string, lastScore: number) => ({
    profile: {
      ip,
      firstSeen: NOW,
      lastSeen: NOW,
      eventCount: 1,
      failureCount: 1,
      signalCounts: {},
      signalTimeline: {},
      userHashes: [],
      pathHashes: [],
      offenceCount: 0,
    },
    lastLevel: 'low',
    lastScore,
  });

  it('lays later writes over earlier ones: the latest actor state, every decision and ledger row', () => {
    const first: PlannedWrites = {
      actors: new Map([
        ['192.0.2.1', actor('192.0.2.1', 10)],
        ['192.0.2.2', actor('192.0.2.2', 20)],
      ]),
      decisions: [decision('a')],
      ledger: [note('198.51.100.1')],
    };
    const second: PlannedWrites = {
      actors: new Map([['192.0.2.1', actor('192.0.2.1', 30)]]),
      decisions: [decision('b')],
      ledger: [note('198.51.100.2')],
    };
    const both = laidOver([first, second]);
    expect([...both.actors].map(([ip, a]) => [ip, a.lastScore])).toEqual([
      ['192.0.2.1', 30],
      ['192.0.2.2', 20],
    ]);
    expect(both.decisions.map((d) => d.id)).toEqual(['a', 'b']);
    expect(both.ledger.map((n) => n.ip)).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(laidOver([])).toBe(NOTHING_PLANNED);
    expect(laidOver([first])).toBe(first);
  });
});
