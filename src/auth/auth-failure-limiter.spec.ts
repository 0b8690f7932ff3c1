import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  it('blocks a client after the allowed number of failures within a minute, and forgives after it', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.isBlocked('10.0.0.1')).toBe(false);
      limiter.recordFailure('10.0.0.1');
      now += 1000;
    }
    expect(limiter.isBlocked('10.0.0.1')).toBe(true);
    expect(limiter.isBlocked('10.0.0.2')).toBe(false);
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(57);
    now += 57_000;
    expect(limiter.isBlocked('10.0.0.1')).toBe(false);
  });
});
