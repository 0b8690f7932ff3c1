import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-06-01T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('refuses-a-client-past-the-allowed-failures-within-a-minute-and-forgives-it-after', async () => {
    const limiter = AuthFailureLimiter.inMemory(3);
    for (let i = 0; i < 3; i++) {
      expect(await limiter.recordFailure('10.0.0.1')).toBeNull();
      jest.advanceTimersByTime(1000);
    }
    expect(await limiter.recordFailure('10.0.0.1')).toBe(57);
    expect(await limiter.recordFailure('10.0.0.2')).toBeNull();
    jest.advanceTimersByTime(57_000);
    expect(await limiter.recordFailure('10.0.0.1')).toBeNull();
  });
});
