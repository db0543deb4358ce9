import {
  AttemptOutcome,
  backoffMs,
  Delivery,
  DeliveryResult,
  outcomeOf,
  Post,
  retryable,
  WebhookDispatcher,
} from './webhook-dispatcher';

describe(outcomeOf.name, () => {
  it.each([
    { status: 200, outcome: 'success' },
    { status: 204, outcome: 'success' },
    { status: 302, outcome: 'redirect' },
    { status: 404, outcome: 'http_4xx' },
    { status: 429, outcome: 'http_4xx' },
    { status: 500, outcome: 'http_5xx' },
    { status: 503, outcome: 'http_5xx' },
  ])('$status → $outcome', ({ status, outcome }) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});

describe(retryable.name, () => {
  it.each([
    { outcome: 'http_5xx', status: 500, retry: true },
    { outcome: 'timeout', status: undefined, retry: true },
    { outcome: 'network', status: undefined, retry: true },
    { outcome: 'http_4xx', status: 429, retry: true },
    { outcome: 'http_4xx', status: 408, retry: true },
    { outcome: 'http_4xx', status: 400, retry: false },
    { outcome: 'http_4xx', status: 401, retry: false },
    { outcome: 'redirect', status: 301, retry: false },
  ])('$outcome $status → $retry', ({ outcome, status, retry }) => {
    expect(retryable(outcome as AttemptOutcome, status)).toBe(retry);
  });
});

describe(backoffMs.name, () => {
  it.each([
    { attempt: 1, random: 0, ms: 500 },
    { attempt: 1, random: 1, ms: 1000 },
    { attempt: 3, random: 1, ms: 4000 },
    { attempt: 30, random: 1, ms: 300_000 },
  ])('attempt $attempt, jitter $random → $ms ms', ({ attempt, random, ms }) => {
    expect(backoffMs(attempt, 1000, () => random)).toBe(ms);
  });
});

describe(WebhookDispatcher.name, () => {
  const delivery = (id: string): Delivery => ({
    id,
    target: 1,
    url: new URL('http://127.0.0.1/x'),
    request: () => ({ body: '{}', headers: {} }),
  });
  const run = (post: Post, options: Partial<ConstructorParameters<typeof WebhookDispatcher>[1]> = {}) => {
    const finished: { id: string; result: DeliveryResult; attempts: number }[] = [];
    const attempts: AttemptOutcome[] = [];
    const dispatcher = new WebhookDispatcher(
      post,
      { maxAttempts: 3, retryBaseMs: 1, timeoutMs: 1000, queueMax: 2, concurrency: 1, ...options },
      {
        attempted: (_d, outcome) => attempts.push(outcome),
        finished: (d, result, n) => finished.push({ id: d.id, result, attempts: n }),
      },
    );
    return { dispatcher, finished, attempts };
  };
  const settled = () => new Promise((resolve) => setTimeout(resolve, 200));

  it('retries a 5xx and a network error, then delivers', async () => {
    const answers: (number | Error)[] = [503, new Error('ECONNRESET'), 200];
    const { dispatcher, finished, attempts } = run(() => {
      const next = answers.shift() as number | Error;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    });
    dispatcher.enqueue(delivery('a'));
    await settled();
    expect(attempts).toEqual(['http_5xx', 'network', 'success']);
    expect(finished).toEqual([{ id: 'a', result: 'delivered', attempts: 3 }]);
    expect(dispatcher.depth).toBe(0);
  });

  it('gives up after maxAttempts, and at once on a 4xx', async () => {
    const { dispatcher, finished } = run((_url, _body, headers) => Promise.resolve(headers['x'] === '4' ? 400 : 500));
    dispatcher.enqueue(delivery('a'));
    dispatcher.enqueue({ ...delivery('b'), request: () => ({ body: '{}', headers: { x: '4' } }) });
    await settled();
    expect(finished).toEqual(
      expect.arrayContaining([
        { id: 'a', result: 'failed', attempts: 3 },
        { id: 'b', result: 'failed', attempts: 1 },
      ]),
    );
  });

  it('drops beyond queueMax instead of growing, and after stop', () => {
    const { dispatcher, finished } = run(() => new Promise<number>(() => undefined));
    expect([
      dispatcher.enqueue(delivery('a')),
      dispatcher.enqueue(delivery('b')),
      dispatcher.enqueue(delivery('c')),
    ]).toEqual([true, true, false]);
    dispatcher.stop();
    expect(dispatcher.enqueue(delivery('d'))).toBe(false);
    expect(finished.map((f) => [f.id, f.result])).toEqual([
      ['c', 'dropped'],
      ['d', 'dropped'],
    ]);
  });

  it('times a hanging post out through its abort signal', async () => {
    const { dispatcher, attempts } = run(
      (_url, _body, _headers, signal) =>
        new Promise<number>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      { timeoutMs: 10, maxAttempts: 1 },
    );
    dispatcher.enqueue(delivery('a'));
    await settled();
    expect(attempts).toEqual(['timeout']);
  });
});
