import { Allow, Ban, computeStream, endsAt, longestPerValue, StreamCursor } from './stream';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const at = (seconds: number): Date => new Date(NOW.getTime() + seconds * 1000);

/** [bouncer id, value, ends in (s, negative = already ended), revoked (s from now) or undefined] */
type BanRow = [number, string, number, number?];
/** [value, created (s from now), ends in (s), revoked (s from now) or undefined] */
type AllowRow = [string, number, number, number?];

const LAST_END_GEN = 10;

/**
 * A ban as the pull that reads it sees it: an ended one carries the generation of the first
 * pull that found it ended, so one that ended after the last pull (`lastPullAgo` seconds ago)
 * is in the current generation, and one that ended before it in an earlier one.
 */
const ban = ([bouncerId, value, endsIn, revoked]: BanRow, lastPullAgo = 60): Ban => {
  const ended = revoked ?? (endsIn <= 0 ? endsIn : undefined);
  return {
    bouncerId,
    endedGen: ended === undefined ? null : ended > -lastPullAgo ? LAST_END_GEN + 1 : LAST_END_GEN,
    value,
    expiresAt: at(revoked === undefined ? endsIn : 3600),
    revokedAt: revoked === undefined ? null : at(revoked),
  };
};
const allow = ([value, created, endsIn, revoked]: AllowRow): Allow => ({
  value,
  createdAt: at(created),
  expiresAt: at(endsIn),
  revokedAt: revoked === undefined ? null : at(revoked),
});

interface Row {
  name: string;
  /** null = startup; otherwise the last pull was `ago` seconds before now. */
  cursor: { ago: number; lastSeq: number } | null;
  bans: BanRow[];
  allows?: AllowRow[];
  excluded?: number[];
  new: number[];
  deleted: number[];
}

const rows: Row[] = [
  { name: 'startup with nothing', cursor: null, bans: [], new: [], deleted: [] },
  {
    name: 'startup lists every ban in force, in id order',
    cursor: null,
    bans: [
      [2, '198.51.100.2', 600],
      [1, '198.51.100.1', 600],
    ],
    new: [1, 2],
    deleted: [],
  },
  {
    name: 'startup keeps the longest ban of a value',
    cursor: null,
    bans: [
      [1, '198.51.100.1', 600],
      [2, '198.51.100.1', 1200],
      [3, '198.51.100.1', 300],
    ],
    new: [2],
    deleted: [],
  },
  {
    name: 'startup lists a value whose ban ended as deleted (as CrowdSec does)',
    cursor: null,
    bans: [
      [1, '198.51.100.1', -3600],
      [2, '198.51.100.1', -60],
    ],
    new: [],
    deleted: [2],
  },
  {
    name: 'startup: an ended ban of a value still banned is not deleted',
    cursor: null,
    bans: [
      [1, '198.51.100.1', -60],
      [2, '198.51.100.1', 600],
    ],
    new: [2],
    deleted: [],
  },
  {
    name: 'startup: a revoked ban is deleted',
    cursor: null,
    bans: [[1, '198.51.100.1', 600, -10]],
    new: [],
    deleted: [1],
  },
  {
    name: 'startup: a ban under an allow of the address is withheld and listed as deleted',
    cursor: null,
    bans: [[1, '198.51.100.1', 600]],
    allows: [['198.51.100.1', -30, 3600]],
    new: [],
    deleted: [1],
  },
  {
    name: 'startup: an allow of a network covers the addresses and networks inside it',
    cursor: null,
    bans: [
      [1, '198.51.100.1', 600],
      [2, '198.51.100.128/25', 600],
      [3, '198.51.101.1', 600],
    ],
    allows: [['198.51.100.0/24', -30, 3600]],
    new: [3],
    deleted: [1, 2],
  },
  {
    name: 'startup: an allowed address inside a banned network does not withhold the network',
    cursor: null,
    bans: [[1, '198.51.100.0/24', 600]],
    allows: [['198.51.100.7', -30, 3600]],
    new: [1],
    deleted: [],
  },
  {
    name: 'startup: an expired or revoked allow withholds nothing',
    cursor: null,
    bans: [
      [1, '198.51.100.1', 600],
      [2, '198.51.100.2', 600],
    ],
    allows: [
      ['198.51.100.1', -3600, -60],
      ['198.51.100.2', -3600, 3600, -60],
    ],
    new: [1, 2],
    deleted: [],
  },
  {
    name: "startup: the bouncer's filters apply",
    cursor: null,
    bans: [
      [1, '198.51.100.1', 600],
      [2, '198.51.100.2', 600],
      [3, '198.51.100.3', -60],
    ],
    excluded: [2, 3],
    new: [1],
    deleted: [],
  },
  {
    name: 'startup: filters apply before deduplication',
    cursor: null,
    bans: [
      [1, '198.51.100.1', 600],
      [2, '198.51.100.1', 1200],
    ],
    excluded: [2],
    new: [1],
    deleted: [],
  },
  {
    name: 'delta: a ban this key was given is not repeated',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', 600]],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: a ban handed out since is new',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [
      [1, '198.51.100.1', 600],
      [2, '198.51.100.2', 600],
    ],
    new: [2],
    deleted: [],
  },
  {
    name: 'delta: a ban revoked since is deleted',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', 600, -10]],
    new: [],
    deleted: [1],
  },
  {
    name: 'delta: a ban that expired since is deleted',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', -10]],
    new: [],
    deleted: [1],
  },
  {
    name: 'delta: a ban that ended well before the last pull is not repeated',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', -90]],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: a ban that ended just before the last pull was taken back then, not again',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', -61]],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: a ban that expired since the last pull is deleted once, whatever the clocks say',
    cursor: { ago: 1, lastSeq: 1 },
    bans: [[1, '198.51.100.1', -0.5]],
    new: [],
    deleted: [1],
  },
  {
    name: 'delta: a revoked ban of a value still banned is not deleted',
    cursor: { ago: 60, lastSeq: 2 },
    bans: [
      [1, '198.51.100.1', 1200, -10],
      [2, '198.51.100.1', 600],
    ],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: a shorter new ban of a value already banned is not repeated',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [
      [1, '198.51.100.1', 1200],
      [2, '198.51.100.1', 600],
    ],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: a longer new ban of a value already banned is new',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [
      [1, '198.51.100.1', 600],
      [2, '198.51.100.1', 1200],
    ],
    new: [2],
    deleted: [],
  },
  {
    name: 'delta: a ban replaced by a new one of the same value is not deleted',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [
      [1, '198.51.100.1', 600, -5],
      [2, '198.51.100.1', 300],
    ],
    new: [2],
    deleted: [],
  },
  {
    name: 'delta: an allow made since withdraws the ban',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', 600]],
    allows: [['198.51.100.0/24', -10, 3600]],
    new: [],
    deleted: [1],
  },
  {
    name: 'delta: an allow made before the last pull withdraws nothing again',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', 600]],
    allows: [['198.51.100.1', -600, 3600]],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: a ban freed since by its allow ending is new again',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', 600]],
    allows: [['198.51.100.1', -600, 3600, -10]],
    new: [1],
    deleted: [],
  },
  {
    name: 'delta: an allow that ended just before the last pull does not bring the ban back twice',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', 600]],
    allows: [['198.51.100.1', -600, 3600, -61]],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: a ban made under an allow since is neither given nor taken back',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[2, '198.51.100.1', 600]],
    allows: [['198.51.100.0/24', -600, 3600]],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: an allow made just before the last pull withheld the ban then, and does not again',
    cursor: { ago: 60, lastSeq: 1 },
    bans: [[1, '198.51.100.1', 600]],
    allows: [['198.51.100.1', -61, 3600]],
    new: [],
    deleted: [],
  },
  {
    name: 'delta: a ban made and revoked between two pulls is listed as deleted (harmless, as CrowdSec)',
    cursor: { ago: 60, lastSeq: 0 },
    bans: [[1, '198.51.100.1', 600, -5]],
    new: [],
    deleted: [1],
  },
  {
    name: 'delta: an approved ban (handed a new id) is new',
    cursor: { ago: 60, lastSeq: 5 },
    bans: [[6, '198.51.100.1', 600]],
    new: [6],
    deleted: [],
  },
];

const cursorOf = (row: Row): StreamCursor | null =>
  row.cursor === null
    ? null
    : { lastPullAt: at(-row.cursor.ago), lastSeq: row.cursor.lastSeq, lastEndGen: LAST_END_GEN };

describe(computeStream.name, () => {
  it.each(rows)('$name', (row) => {
    const excluded = new Set(row.excluded ?? []);
    const answer = computeStream({
      now: NOW,
      cursor: cursorOf(row),
      bans: row.bans.map((b) => ban(b, row.cursor?.ago)),
      allows: (row.allows ?? []).map(allow),
      include: (b) => !excluded.has(b.bouncerId),
    });
    expect({
      new: answer.new.map((b) => b.bouncerId),
      deleted: answer.deleted.map((b) => b.bouncerId),
    }).toEqual({ new: row.new, deleted: row.deleted });
  });

  it('never lists a value as both new and deleted', () => {
    for (const row of rows) {
      const answer = computeStream({
        now: NOW,
        cursor: cursorOf(row),
        bans: row.bans.map((b) => ban(b, row.cursor?.ago)),
        allows: (row.allows ?? []).map(allow),
        include: () => true,
      });
      const added = new Set(answer.new.map((b) => b.value));
      expect(answer.deleted.filter((b) => added.has(b.value))).toEqual([]);
    }
  });
});

describe(endsAt.name, () => {
  it.each([
    { name: 'not revoked: its expiry', revokedAt: null, expected: 600 },
    { name: 'revoked before expiry: the revocation', revokedAt: at(60), expected: 60 },
    { name: 'revoked after expiry: the expiry', revokedAt: at(900), expected: 600 },
  ])('$name', ({ revokedAt, expected }) => {
    expect(endsAt({ expiresAt: at(600), revokedAt })).toEqual(at(expected));
  });
});

describe(longestPerValue.name, () => {
  it('keeps the later-ending ban of each value, the higher id on a tie', () => {
    const kept = longestPerValue([ban([1, 'a', 600]), ban([2, 'a', 600]), ban([3, 'b', 900]), ban([4, 'b', 300])]).map(
      (b) => b.bouncerId,
    );
    expect(kept).toEqual([2, 3]);
  });
});
