import { CallBudget } from './call-budget';

describe(CallBudget.name, () => {
  it('allows perMinute calls in any rolling 60 s and frees them as they age', () => {
    const budget = new CallBudget(3);
    expect([0, 10, 20, 30].map((t) => budget.tryTake(t))).toEqual([true, true, true, false]);
    expect(budget.used(59_999)).toBe(3);
    expect(budget.tryTake(59_999)).toBe(false);
    expect(budget.tryTake(60_000)).toBe(true);
    expect(budget.used(60_000)).toBe(3);
    expect(budget.used(200_000)).toBe(0);
  });
});
