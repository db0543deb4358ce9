import { GroupCommitter } from './group-commit';

describe(GroupCommitter.name, () => {
  it('groups submissions made while a flush runs into the next flush', async () => {
    const flushes: number[][] = [];
    const committer = new GroupCommitter<number, number>(async (items) => {
      flushes.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((item) => item * 10);
    });
    const first = committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((item) => committer.submit(item));
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every submitter of a failed flush and recovers for the next', async () => {
    let fail = true;
    const committer = new GroupCommitter<string, string>((items) => {
      if (fail) {
        fail = false;
        return Promise.reject(new Error('disk full'));
      }
      return Promise.resolve(items);
    });
    const a = committer.submit('a');
    const b = committer.submit('b');
    await expect(a).rejects.toThrow('disk full');
    await expect(b).rejects.toThrow('disk full');
    await expect(committer.submit('c')).resolves.toBe('c');
  });

  it('caps a flush by total weight but always takes at least one item', async () => {
    const flushes: number[][] = [];
    const committer = new GroupCommitter<number, number>(
      (items) => {
        flushes.push(items);
        return Promise.resolve(items);
      },
      (item) => item,
      10,
    );
    await Promise.all([6, 5, 4, 30].map((item) => committer.submit(item)));
    expect(flushes).toEqual([[6], [5, 4], [30]]);
  });

  it('drain waits for work in flight', async () => {
    const done: number[] = [];
    const committer = new GroupCommitter<number, void>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(...items);
      return items.map(() => undefined);
    });
    void committer.submit(1);
    void committer.submit(2);
    await committer.drain();
    expect(done).toEqual([1, 2]);
    expect(committer.depth).toBe(0);
  });
});
