import { AckChannels, channelName, IDLE_MS, MAX_RANGES } from './ack-channels';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe(AckChannels.name, () => {
  it('issues ids per channel from 0, answers true once, false for unknown ids and channels', () => {
    const acks = new AckChannels({ maxChannels: 10, maxPending: 100 });
    expect([acks.issue(A, 0), acks.issue(A, 0), acks.issue(B, 0)]).toEqual([0, 1, 0]);
    expect(acks.query(A, [0, 1, 2], 1)).toEqual({ '0': true, '1': true, '2': false });
    expect(acks.query(A, [0, 1], 1)).toEqual({ '0': false, '1': false });
    expect(acks.query(B, [0], 1)).toEqual({ '0': true });
    expect(acks.query('cccccccc-0000-4000-8000-000000000003', [0], 1)).toEqual({ '0': false });
  });

  it.each([
    { name: 'in order', order: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
    { name: 'in reverse', order: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] },
    { name: 'from the middle out', order: [5, 4, 6, 3, 7, 2, 8, 1, 9, 0] },
    { name: 'odd then even', order: [1, 3, 5, 7, 9, 0, 2, 4, 6, 8] },
  ])('answers every issued id exactly once when queried $name', ({ order }) => {
    const acks = new AckChannels({ maxChannels: 1, maxPending: 100 });
    for (let i = 0; i < 10; i += 1) {
      acks.issue(A, 0);
    }
    for (const id of order) {
      expect(acks.query(A, [id], 0)).toEqual({ [String(id)]: true });
    }
    expect(Object.values(acks.query(A, order, 0))).toEqual(Array(10).fill(false));
  });

  it('forgets the oldest ids past maxPending (they read false, the client resends)', () => {
    const acks = new AckChannels({ maxChannels: 1, maxPending: 3 });
    for (let i = 0; i < 5; i += 1) {
      acks.issue(A, 0);
    }
    expect(acks.query(A, [0, 1, 2, 3, 4], 0)).toEqual({ '0': false, '1': false, '2': true, '3': true, '4': true });
  });

  it('keeps at most MAX_RANGES ranges per channel, forgetting the oldest', () => {
    const acks = new AckChannels({ maxChannels: 1, maxPending: 1_000_000 });
    const issued = (MAX_RANGES + 10) * 2;
    for (let i = 0; i < issued; i += 1) {
      acks.issue(A, 0);
    }
    // Querying every odd id leaves one range per even id: more than MAX_RANGES of them.
    const odd = Array.from({ length: issued / 2 }, (_, i) => 2 * i + 1);
    expect(Object.values(acks.query(A, odd, 0)).every(Boolean)).toBe(true);
    acks.issue(A, 0);
    const even = Array.from({ length: issued / 2 }, (_, i) => 2 * i);
    const answers = acks.query(A, even, 0);
    expect(answers['0']).toBe(false);
    expect(answers[String(issued - 2)]).toBe(true);
    expect(Object.values(answers).filter(Boolean).length).toBeLessThanOrEqual(MAX_RANGES);
  });

  it('refuses a new channel past maxChannels unless one has been idle for IDLE_MS', () => {
    const acks = new AckChannels({ maxChannels: 1, maxPending: 10 });
    expect(acks.admit(A, 0)).toBe(true);
    expect(acks.admit(B, IDLE_MS)).toBe(false);
    expect(acks.issue(B, IDLE_MS)).toBeNull();
    expect(acks.admit(A, IDLE_MS)).toBe(true);
    expect(acks.admit(B, 2 * IDLE_MS + 1)).toBe(true);
    expect(acks.size).toBe(1);
  });
});

describe(channelName.name, () => {
  it.each([
    [A, A],
    ['AAAAAAAA-0000-4000-8000-00000000000A', 'aaaaaaaa-0000-4000-8000-00000000000a'],
    ['not-a-guid', null],
    ['', null],
    [`${A} `, null],
    [undefined, null],
    [['x'], null],
  ])('%p → %p', (value, expected) => {
    expect(channelName(value)).toBe(expected);
  });
});
