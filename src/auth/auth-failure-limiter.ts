import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

const WINDOW_SECONDS = 60;

/**
 * Counts failed authentications per client in one-minute windows, so that guessing tokens is
 * throttled without slowing down anyone who presents a valid one: only failures are counted, and
 * the guard consults the count only after a token has failed. In production the count lives in
 * Redis, shared by every API process; a process that cannot reach Redis counts in its own memory
 * meanwhile. Embedded mode is one process, whose memory is the whole count.
 */
export class AuthFailureLimiter {
  private constructor(private readonly limiter: RateLimiterAbstract) {}

  static inMemory(maxPerMinute: number): AuthFailureLimiter {
    return new AuthFailureLimiter(memoryLimiter(maxPerMinute));
  }

  static onRedis(redis: Redis, maxPerMinute: number, keyPrefix: string): AuthFailureLimiter {
    return new AuthFailureLimiter(
      new RateLimiterRedis({
        storeClient: redis,
        points: maxPerMinute,
        duration: WINDOW_SECONDS,
        keyPrefix,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memoryLimiter(maxPerMinute),
      }),
    );
  }

  /**
   * Counts one failure of `client`; answers the seconds until it may try again when this failure
   * is over the limit, or null while it is within it.
   */
  async recordFailure(client: string): Promise<number | null> {
    try {
      await this.limiter.consume(client);
      return null;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    }
  }
}

function memoryLimiter(maxPerMinute: number): RateLimiterMemory {
  return new RateLimiterMemory({ points: maxPerMinute, duration: WINDOW_SECONDS });
}
