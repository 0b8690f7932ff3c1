import { Module } from '@nestjs/common';
import { PrivacyModule } from '../privacy/privacy.module';
import { DnsMemberData } from './dns-member-data';
import { IpamModule } from '../ipam/ipam.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { ForwardCheck } from './forward-check';
import { ReverseNamesController } from './reverse-names.controller';
import { ReverseNamesService } from './reverse-names.service';
import { ReverseZonesController } from './reverse-zones.controller';
import { ReverseZonesService } from './reverse-zones.service';

@Module({
  imports: [IpamModule, SubscribersModule, ProvisioningModule, PrivacyModule],
  controllers: [ReverseNamesController, ReverseZonesController],
  providers: [DnsMemberData, ReverseNamesService, ReverseZonesService, ForwardCheck],
})
export class DnsModule {}
