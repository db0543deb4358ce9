import { ManualClock, SystemClock } from './clock';

describe(ManualClock.name, () => {
  it.each([
    { name: 'moves forward', moves: ['2026-11-24T10:00:00Z', '2026-11-24T10:05:00Z'], now: '2026-11-24T10:05:00.000Z' },
    {
      name: 'never goes back',
      moves: ['2026-11-24T10:05:00Z', '2026-11-24T10:00:00Z'],
      now: '2026-11-24T10:05:00.000Z',
    },
    { name: 'stays at its start until moved', moves: [], now: '2026-11-24T09:00:00.000Z' },
  ])('$name', ({ moves, now }) => {
    const clock = new ManualClock(new Date('2026-11-24T09:00:00Z'));
    moves.forEach((time) => clock.advanceTo(new Date(time)));
    expect(clock.now().toISOString()).toBe(now);
  });

  it('hands out copies, not its own state', () => {
    const clock = new ManualClock(new Date(1000));
    clock.now().setTime(0);
    expect(clock.now().getTime()).toBe(1000);
  });
});

describe(SystemClock.name, () => {
  it('reads the system clock', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
