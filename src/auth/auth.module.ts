import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LedgerModule } from '../ledger/ledger.module';
import { redisOptions } from '../queue/queue-connection';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { Account } from './account.entity';
import { AccountsService } from './accounts.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { PrivilegesService } from './privileges.service';
import { RouteAccessCheck } from './route-access.check';
import { UsersController } from './users.controller';

const LIMITER_REDIS = Symbol('LIMITER_REDIS');

/**
 * The failure count's own connection to the queue's Redis: it gives up at once when Redis is
 * unreachable (the limiter then counts in memory), where the queue's connection waits for it.
 */
async function limiterRedis(config: AppConfig): Promise<Redis | null> {
  if (config.mode !== 'production' || config.role === 'worker') return null;
  const redis = new Redis({ ...redisOptions(config.redisUrl as string), enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  // An outage is reported by /health and the queue; here it only means counting in memory meanwhile.
  redis.on('error', () => undefined);
  // Connected before the first request when Redis answers; ioredis keeps retrying when it does not.
  await redis.connect().catch(() => undefined);
  return redis;
}

@Module({
  imports: [TypeOrmModule.forFeature([Account]), DiscoveryModule, SubscribersModule, LedgerModule],
  controllers: [UsersController],
  providers: [
    AuthService,
    AccountsService,
    PrivilegesService,
    RouteAccessCheck,
    { provide: LIMITER_REDIS, inject: [APP_CONFIG], useFactory: limiterRedis },
    {
      provide: AuthFailureLimiter,
      inject: [APP_CONFIG, LIMITER_REDIS],
      useFactory: (config: AppConfig, redis: Redis | null) =>
        redis ? AuthFailureLimiter.onRedis(redis, config.authFailuresPerMinute, `${config.queuePrefix}:auth-failures`) : AuthFailureLimiter.inMemory(config.authFailuresPerMinute),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AccountsService, AuthService, AuthFailureLimiter, PrivilegesService],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(@Inject(LIMITER_REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit();
  }
}
