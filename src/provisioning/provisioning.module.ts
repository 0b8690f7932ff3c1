import { Module } from '@nestjs/common';
import { ProvisioningController } from './provisioning.controller';
import { ProvisioningService } from './provisioning.service';
import { WebhookDeliveries } from './webhook-deliveries.service';

@Module({
  controllers: [ProvisioningController],
  providers: [ProvisioningService, WebhookDeliveries],
  exports: [ProvisioningService],
})
export class ProvisioningModule {}
