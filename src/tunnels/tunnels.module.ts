import { Module } from '@nestjs/common';
import { PrivacyModule } from '../privacy/privacy.module';
import { TunnelsMemberData } from './tunnels-member-data';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IpamModule } from '../ipam/ipam.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { MtuController } from './mtu.controller';
import { RouterExportController } from './router-export.controller';
import { RouterExportService } from './router-export.service';
import { SubscriptionTunnel } from './subscription-tunnel.entity';
import { TunnelPeer } from './tunnel-peer.entity';
import { TunnelPeersController } from './tunnel-peers.controller';
import { TunnelPeersService } from './tunnel-peers.service';
import { TunnelPreset } from './tunnel-preset.entity';
import { TunnelPresetsController } from './tunnel-presets.controller';
import { TunnelPresetsService } from './tunnel-presets.service';
import { TunnelsController } from './tunnels.controller';
import { TunnelsService } from './tunnels.service';

@Module({
  imports: [TypeOrmModule.forFeature([TunnelPreset, SubscriptionTunnel, TunnelPeer]), SubscribersModule, IpamModule, ProvisioningModule, PrivacyModule],
  controllers: [MtuController, TunnelPresetsController, TunnelsController, TunnelPeersController, RouterExportController],
  providers: [TunnelsMemberData, TunnelsService, TunnelPresetsService, TunnelPeersService, RouterExportService],
  exports: [TunnelsService],
})
export class TunnelsModule {}
