import { ReviewQueue } from './review-queue';

/** Jobs that finish only when the test says so. */
function rig(max: number, concurrency: number) {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const queue = new ReviewQueue<string>(max, concurrency, (key) => {
    started.push(key);
    return new Promise<void>((resolve) => finish.set(key, resolve));
  });
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const done = async (key: string) => {
    finish.get(key)?.();
    finish.delete(key);
    await tick();
    await tick();
  };
  return { queue, started, tick, done };
}

describe(ReviewQueue.name, () => {
  it('is bounded: a full queue says so at once', () => {
    const { queue } = rig(2, 1);
    expect(['a', 'b', 'c'].map((k) => queue.offer(k))).toEqual(['queued', 'queued', 'full']);
    expect(queue.depth).toBe(2);
  });

  it('keeps one entry per actor', () => {
    const { queue } = rig(10, 1);
    expect(queue.offer('a')).toBe('queued');
    expect(queue.offer('a')).toBe('already_queued');
    expect(queue.depth).toBe(1);
  });

  it('runs at most `concurrency` jobs, never two for one actor, in order', async () => {
    const { queue, started, tick, done } = rig(10, 2);
    ['a', 'b', 'c'].forEach((k) => queue.offer(k));
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect(queue.inFlight).toBe(2);
    expect(queue.offer('a')).toBe('queued');
    await done('a');
    expect(started).toEqual(['a', 'b', 'c']);
    await done('b');
    expect(started).toEqual(['a', 'b', 'c', 'a']);
  });

  it('starts nothing during offer itself (the caller is inside a write)', () => {
    const { queue, started } = rig(10, 2);
    queue.offer('a');
    expect(started).toEqual([]);
  });

  it('resolves idle when everything has run, and close drops what waits', async () => {
    const { queue, started, tick, done } = rig(10, 1);
    ['a', 'b'].forEach((k) => queue.offer(k));
    await tick();
    const idle = queue.idle();
    const closed = queue.close();
    expect(queue.offer('c')).toBe('closed');
    await done('a');
    await Promise.all([idle, closed]);
    expect(started).toEqual(['a']);
  });

  it('keeps going after a job fails', async () => {
    const failing = new ReviewQueue<string>(10, 1, (key) =>
      key === 'x' ? Promise.reject(new Error('x')) : Promise.resolve(),
    );
    failing.offer('x');
    failing.offer('y');
    await failing.idle();
    expect(failing.depth + failing.inFlight).toBe(0);
  });
});
