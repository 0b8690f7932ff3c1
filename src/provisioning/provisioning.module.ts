import { Module } from '@nestjs/common';
import { FeedPruning } from './feed-pruning.service';
import { ProvisioningController } from './provisioning.controller';
import { ProvisioningService } from './provisioning.service';
import { WebhookDeliveries } from './webhook-deliveries.service';

@Module({
  controllers: [ProvisioningController],
  providers: [ProvisioningService, WebhookDeliveries, FeedPruning],
  exports: [ProvisioningService],
})
export class ProvisioningModule {}
