import { FlushStages, GroupCommitter } from './group-commit';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

interface Plan {
  items: number[];
  ahead: number[][];
}

/** Stages that record what happened; `persist` takes `persistMs` and fails for items in `failing`. */
function recorder(options: { persistMs?: number; failing?: number[]; overlaps?: (plan: Plan) => boolean } = {}) {
  const events: string[] = [];
  const stages: FlushStages<number, Plan, number> = {
    plan: (items, ahead) => {
      events.push(`plan ${items.join(',')} on [${ahead.map((plan) => plan.items.join(',')).join('|')}]`);
      return Promise.resolve({ items, ahead: ahead.map((plan) => plan.items) });
    },
    persist: async (plan) => {
      events.push(`persist ${plan.items.join(',')}`);
      await tick(options.persistMs ?? 0);
      if (plan.items.some((item) => options.failing?.includes(item))) {
        events.push(`failed ${plan.items.join(',')}`);
        throw new Error(`disk full at ${plan.items.join(',')}`);
      }
      events.push(`committed ${plan.items.join(',')}`);
      return plan.items.map((item) => item * 10);
    },
    overlaps: options.overlaps ?? (() => true),
  };
  return { events, stages };
}

describe(GroupCommitter.name, () => {
  it('groups submissions made while a flush runs into the next flush', async () => {
    const { events, stages } = recorder({ persistMs: 5 });
    const committer = new GroupCommitter(stages);
    const first = committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((item) => committer.submit(item));
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(events.filter((e) => e.startsWith('persist'))).toEqual(['persist 1', 'persist 2,3,4']);
  });

  it('rejects every submitter of a failed flush and recovers for the next', async () => {
    const { stages } = recorder({ failing: [1] });
    const committer = new GroupCommitter(stages);
    const a = committer.submit(1);
    const b = committer.submit(2);
    await expect(a).rejects.toThrow('disk full');
    await expect(b).rejects.toThrow('disk full');
    await expect(committer.submit(3)).resolves.toBe(30);
  });

  it('keeps items of different keys apart; an item without a key joins any flush', async () => {
    const { events, stages } = recorder();
    // Odd items have key 'a', even ones 'b', multiples of 10 none.
    const keyed = { ...stages, flushKey: (item: number) => (item % 10 === 0 ? undefined : item % 2 ? 'a' : 'b') };
    const committer = new GroupCommitter(keyed);
    await Promise.all([10, 1, 3, 20, 2, 4, 5].map((item) => committer.submit(item)));
    expect(events.filter((e) => e.startsWith('persist'))).toEqual(['persist 10,1,3,20', 'persist 2,4', 'persist 5']);
  });

  it('caps a flush by total weight but always takes at least one item', async () => {
    const { events, stages } = recorder();
    const committer = new GroupCommitter(stages, (item) => item, 10);
    await Promise.all([6, 5, 4, 30].map((item) => committer.submit(item)));
    expect(events.filter((e) => e.startsWith('persist'))).toEqual(['persist 6', 'persist 5,4', 'persist 30']);
  });

  it('drain waits for work in flight', async () => {
    const { events, stages } = recorder({ persistMs: 5 });
    const committer = new GroupCommitter(stages);
    void committer.submit(1);
    void committer.submit(2);
    await committer.drain();
    expect(events.at(-1)).toBe('committed 1,2');
    expect(committer.depth).toBe(0);
  });

  it('without a pipeline, plans a flush only after the one before has committed', async () => {
    const { events, stages } = recorder({ persistMs: 5 });
    const committer = new GroupCommitter(stages, () => 1, 1);
    await Promise.all([1, 2].map((item) => committer.submit(item)));
    expect(events).toEqual(['plan 1 on []', 'persist 1', 'committed 1', 'plan 2 on []', 'persist 2', 'committed 2']);
  });

  it('with a pipeline, plans the next flushes on top of the ones not yet committed, and commits in order', async () => {
    const { events, stages } = recorder({ persistMs: 5 });
    const committer = new GroupCommitter(stages, () => 1, 1, 3);
    expect(await Promise.all([1, 2, 3, 4].map((item) => committer.submit(item)))).toEqual([10, 20, 30, 40]);
    expect(events.slice(0, 4)).toEqual(['plan 1 on []', 'persist 1', 'plan 2 on [1]', 'plan 3 on [1|2]']);
    expect(events.filter((e) => e.startsWith('committed'))).toEqual([
      'committed 1',
      'committed 2',
      'committed 3',
      'committed 4',
    ]);
    // At most three flushes planned and not committed: 4 waits for 1 to commit.
    expect(events.indexOf('plan 4 on [2|3]')).toBeGreaterThan(events.indexOf('committed 1'));
  });

  it('plans ahead only a full flush: a smaller one keeps gathering until the one before commits', async () => {
    const { events, stages } = recorder({ persistMs: 5 });
    const committer = new GroupCommitter(stages, () => 1, 10, 3);
    const first = committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3].map((item) => committer.submit(item));
    await tick(1);
    const late = committer.submit(4);
    await Promise.all([first, ...rest, late]);
    expect(events).toEqual([
      'plan 1 on []',
      'persist 1',
      'committed 1',
      'plan 2,3,4 on []',
      'persist 2,3,4',
      'committed 2,3,4',
    ]);
  });

  it('plans again, on what is committed, a flush planned on top of one that then failed', async () => {
    const { events, stages } = recorder({ persistMs: 5, failing: [1] });
    const committer = new GroupCommitter(stages, () => 1, 1, 3);
    const results = await Promise.allSettled([1, 2, 3].map((item) => committer.submit(item)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(events).toEqual([
      'plan 1 on []',
      'persist 1',
      'plan 2 on [1]',
      'plan 3 on [1|2]',
      'failed 1',
      // 2 saw 1's writes, which never happened; 3 saw 1's and the first plan of 2.
      'plan 2 on []',
      'persist 2',
      'committed 2',
      'plan 3 on []',
      'persist 3',
      'committed 3',
    ]);
  });

  it('plans nothing on top of a flush that does not allow it', async () => {
    const { events, stages } = recorder({ persistMs: 5, overlaps: (plan) => !plan.items.includes(1) });
    const committer = new GroupCommitter(stages, () => 1, 1, 3);
    await Promise.all([1, 2, 3].map((item) => committer.submit(item)));
    expect(events.slice(0, 4)).toEqual(['plan 1 on []', 'persist 1', 'committed 1', 'plan 2 on []']);
    expect(events).toContain('plan 3 on [2]');
    expect(events.filter((e) => e.startsWith('committed'))).toEqual(['committed 1', 'committed 2', 'committed 3']);
  });

  it('persists independent plans side by side, up to the pipeline, planning the next as soon as items wait', async () => {
    const { events, stages } = recorder({ persistMs: 10, overlaps: () => false });
    stages.independent = (plan) => !plan.items.includes(9);
    const committer = new GroupCommitter(stages, () => 1, 1, 3);
    const answers = await Promise.all([1, 2, 3, 4].map((item) => committer.submit(item)));
    expect(answers).toEqual([10, 20, 30, 40]);
    // 1, 2 and 3 run at once (not full flushes, not overlapping: independent); 4 waits for a slot.
    const at = (event: string) => events.indexOf(event);
    expect([at('persist 1'), at('persist 2'), at('persist 3')].every((i) => i >= 0 && i < at('committed 1'))).toBe(
      true,
    );
    expect(events.filter((e) => e.startsWith('plan'))).toEqual([
      'plan 1 on []',
      'plan 2 on [1]',
      'plan 3 on [1|2]',
      expect.stringMatching(/^plan 4 on /),
    ]);
    expect(events.indexOf('persist 4')).toBeGreaterThan(events.indexOf('committed 1'));
  });

  it('holds a plan that is not independent until the others commit, and the ones after it until it has', async () => {
    const { events, stages } = recorder({ persistMs: 10, overlaps: () => false });
    stages.independent = (plan) => !plan.items.includes(9);
    const committer = new GroupCommitter(stages, () => 1, 1, 4);
    await Promise.all([1, 9, 2].map((item) => committer.submit(item)));
    const at = (event: string) => events.indexOf(event);
    expect(at('persist 9')).toBeGreaterThan(at('committed 1'));
    expect(at('persist 2')).toBeGreaterThan(at('committed 9'));
  });

  it('rejects only the batch whose planning failed', async () => {
    const { stages } = recorder();
    const committer = new GroupCommitter<number, Plan, number>(
      {
        ...stages,
        plan: (items, ahead) => (items.includes(2) ? Promise.reject(new Error('bad plan')) : stages.plan(items, ahead)),
      },
      () => 1,
      1,
      3,
    );
    const results = await Promise.allSettled([1, 2, 3].map((item) => committer.submit(item)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      10,
      'bad plan',
      30,
    ]);
  });
});
