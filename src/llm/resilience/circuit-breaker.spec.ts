import { CircuitBreaker } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  const make = () => new CircuitBreaker({ threshold: 3, cooldownMs: 10_000 });

  it('opens after the threshold of consecutive failures and refuses calls until the cool-down', () => {
    const breaker = make();
    expect(breaker.onFailure(0)).toBe(false);
    expect(breaker.onFailure(1)).toBe(false);
    expect(breaker.tryAcquire(2)).toBe(true);
    expect(breaker.onFailure(2)).toBe(true);
    expect(breaker.state(3)).toBe('open');
    expect(breaker.tryAcquire(9_999)).toBe(false);
    expect(breaker.timesOpened).toBe(1);
  });

  it('a success resets the count', () => {
    const breaker = make();
    breaker.onFailure(0);
    breaker.onFailure(1);
    breaker.onSuccess();
    expect(breaker.onFailure(2)).toBe(false);
    expect(breaker.state(3)).toBe('closed');
  });

  it('after the cool-down lets one trial through: success closes it', () => {
    const breaker = make();
    [0, 1, 2].forEach((t) => breaker.onFailure(t));
    expect(breaker.state(10_002)).toBe('half_open');
    expect(breaker.tryAcquire(10_002)).toBe(true);
    expect(breaker.tryAcquire(10_003)).toBe(false);
    breaker.onSuccess();
    expect(breaker.state(10_004)).toBe('closed');
    expect(breaker.tryAcquire(10_004)).toBe(true);
  });

  it('a failed trial opens it again for a full cool-down', () => {
    const breaker = make();
    [0, 1, 2].forEach((t) => breaker.onFailure(t));
    expect(breaker.tryAcquire(10_002)).toBe(true);
    expect(breaker.onFailure(10_500)).toBe(true);
    expect(breaker.state(20_000)).toBe('open');
    expect(breaker.state(20_500)).toBe('half_open');
    expect(breaker.timesOpened).toBe(2);
  });

  it('a neutral end (abort) frees the trial slot without judging the API', () => {
    const breaker = make();
    [0, 1, 2].forEach((t) => breaker.onFailure(t));
    expect(breaker.tryAcquire(10_002)).toBe(true);
    breaker.onNeutral();
    expect(breaker.tryAcquire(10_003)).toBe(true);
  });
});
