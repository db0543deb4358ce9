import { PlannedBlockLedger } from './block-ledger';
import { decisionRow, DECISION_COLUMNS } from './event-rows';
import { LedgerNote, NOTHING_PLANNED, PlannedWrites } from './planned-writes';
import { StoredDecision } from '../domain/decision';
import { Row, StoreReader } from './sqlite-connections';

const NOW = new Date('2026-11-24T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const NET = '198.51.100.0/24';

function decision(id: string, change: Partial<StoredDecision> = {}): StoredDecision {
  return {
    id,
    scope: 'range',
    value: NET,
    status: 'active',
    createdBy: 'policy',
    action: 'block',
    origin: 'policy',
    ruleId: 'range-escalation',
    reason: 'test',
    verdictId: null,
    createdAt: minutes(-10),
    expiresAt: minutes(50),
    revokedAt: null,
    revokeReason: null,
    ...change,
  };
}

const asRow = (d: StoredDecision): Row =>
  Object.fromEntries(DECISION_COLUMNS.map((column, i) => [column, decisionRow(d)[i]]));

/** A reader that answers the ledger's two queries from fixed stored rows. */
function reader(stored: { ledger?: Row[]; decisions?: StoredDecision[] }): StoreReader {
  return {
    all: (sql: string) =>
      Promise.resolve(
        sql.includes('FROM network_blocks') ? (stored.ledger ?? []) : (stored.decisions ?? []).map(asRow),
      ),
  };
}

const note = (ip: string, at: Date, simulated = false, network = NET): LedgerNote => ({
  network,
  ip,
  simulated,
  at: at.getTime(),
});
const pendingWith = (change: Partial<PlannedWrites>): PlannedWrites => ({ ...NOTHING_PLANNED, ...change });

describe(PlannedBlockLedger.name, () => {
  describe('blockedMembers: stored rows, the writes not yet committed and this write, counted once each', () => {
    const cases: {
      name: string;
      stored: Row[];
      pending: LedgerNote[];
      noted: LedgerNote[];
      since: Date;
      withSimulated: boolean;
      expected: number;
    }[] = [
      {
        name: 'stored rows alone',
        stored: [{ network: NET, ip: '198.51.100.1', simulated: 0, blocked_at: minutes(-5).getTime() }],
        pending: [],
        noted: [],
        since: minutes(-60),
        withSimulated: false,
        expected: 1,
      },
      {
        name: 'one address stored, planned and noted again counts once',
        stored: [{ network: NET, ip: '198.51.100.1', simulated: 0, blocked_at: minutes(-5).getTime() }],
        pending: [note('198.51.100.1', minutes(-1))],
        noted: [note('198.51.100.1', NOW)],
        since: minutes(-60),
        withSimulated: false,
        expected: 1,
      },
      {
        name: 'stored, pending and noted addresses add up',
        stored: [{ network: NET, ip: '198.51.100.1', simulated: 0, blocked_at: minutes(-5).getTime() }],
        pending: [note('198.51.100.2', minutes(-1))],
        noted: [note('198.51.100.3', NOW)],
        since: minutes(-60),
        withSimulated: false,
        expected: 3,
      },
      {
        name: 'blocks before the window do not count',
        stored: [{ network: NET, ip: '198.51.100.1', simulated: 0, blocked_at: minutes(-90).getTime() }],
        pending: [note('198.51.100.2', minutes(-61))],
        noted: [note('198.51.100.3', NOW)],
        since: minutes(-60),
        withSimulated: false,
        expected: 1,
      },
      {
        name: 'simulated blocks count only when asked',
        stored: [{ network: NET, ip: '198.51.100.1', simulated: 1, blocked_at: minutes(-5).getTime() }],
        pending: [note('198.51.100.2', minutes(-1), true)],
        noted: [note('198.51.100.3', NOW)],
        since: minutes(-60),
        withSimulated: false,
        expected: 1,
      },
      {
        name: 'simulated blocks, asked for',
        stored: [{ network: NET, ip: '198.51.100.1', simulated: 1, blocked_at: minutes(-5).getTime() }],
        pending: [note('198.51.100.2', minutes(-1), true)],
        noted: [note('198.51.100.3', NOW)],
        since: minutes(-60),
        withSimulated: true,
        expected: 3,
      },
      {
        name: "another network's planned blocks do not count",
        stored: [],
        pending: [note('203.0.113.2', minutes(-1), false, '203.0.113.0/24')],
        noted: [note('198.51.100.3', NOW)],
        since: minutes(-60),
        withSimulated: false,
        expected: 1,
      },
    ];
    it.each(cases)('$name', async ({ stored, pending, noted, since, withSimulated, expected }) => {
      const ledger = new PlannedBlockLedger(reader({ ledger: stored }), NOW, pendingWith({ ledger: pending }), []);
      await ledger.load([NET]);
      for (const n of noted) {
        ledger.noteBlock(n.network, n.ip, new Date(n.at), n.simulated);
      }
      expect(ledger.blockedMembers(NET, since, withSimulated)).toBe(expected);
      expect(ledger.notes).toEqual(noted);
    });
  });

  it('decisionsOn: stored, pending and this write, once each, unrevoked, unexpired, published or simulated', async () => {
    const stored = decision('stored');
    const pendingOne = decision('pending', { status: 'simulated' });
    const made = decision('made');
    const ledger = new PlannedBlockLedger(
      reader({ decisions: [stored] }),
      NOW,
      pendingWith({
        decisions: [
          pendingOne,
          stored,
          decision('expired', { expiresAt: minutes(-1) }),
          decision('revoked', { revokedAt: minutes(-2) }),
          decision('pending approval', { status: 'pending' }),
          decision('elsewhere', { value: '203.0.113.0/24' }),
        ],
      }),
      [made],
    );
    await ledger.load([NET]);
    expect(
      ledger
        .decisionsOn(NET)
        .map((d) => d.id)
        .sort(),
    ).toEqual(['made', 'pending', 'stored']);
  });

  it('refuses a network it was not asked to load', async () => {
    const ledger = new PlannedBlockLedger(reader({}), NOW, NOTHING_PLANNED, []);
    await ledger.load([NET]);
    expect(() => ledger.blockedMembers('203.0.113.0/24', NOW, false)).toThrow(/not loaded/);
  });
});
