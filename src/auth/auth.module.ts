import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LedgerModule } from '../ledger/ledger.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { Account } from './account.entity';
import { AccountsService } from './accounts.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { RouteAccessCheck } from './route-access.check';
import { UsersController } from './users.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Account]), DiscoveryModule, SubscribersModule, LedgerModule],
  controllers: [UsersController],
  providers: [
    AuthService,
    AccountsService,
    RouteAccessCheck,
    { provide: AuthFailureLimiter, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new AuthFailureLimiter(config.authFailuresPerMinute) },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
