import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PrivacyModule } from '../privacy/privacy.module';
import { Subscriber } from './subscriber.entity';
import { SubscribersController } from './subscribers.controller';
import { SubscribersService } from './subscribers.service';
import { SubscriberMemberData } from './subscriber-member-data';
import { SubscriptionEndHandlers } from './subscription-end-handlers';
import { Subscription } from './subscription.entity';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Subscriber, Subscription]), PrivacyModule],
  controllers: [SubscribersController, SubscriptionsController],
  providers: [SubscribersService, SubscriptionsService, SubscriptionEndHandlers, SubscriberMemberData],
  exports: [SubscribersService, SubscriptionsService, SubscriptionEndHandlers],
})
export class SubscribersModule {}
