import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { MtuController } from './mtu.controller';
import { SubscriptionTunnel } from './subscription-tunnel.entity';
import { TunnelPreset } from './tunnel-preset.entity';
import { TunnelPresetsController } from './tunnel-presets.controller';
import { TunnelPresetsService } from './tunnel-presets.service';
import { TunnelsController } from './tunnels.controller';
import { TunnelsService } from './tunnels.service';

@Module({
  imports: [TypeOrmModule.forFeature([TunnelPreset, SubscriptionTunnel]), SubscribersModule],
  controllers: [MtuController, TunnelPresetsController, TunnelsController],
  providers: [TunnelsService, TunnelPresetsService],
})
export class TunnelsModule {}
