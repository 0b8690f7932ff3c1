import { Body, Controller, Get, Header, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Operation } from '../openapi';
import { PRIVATE_KEY_PLACEHOLDER } from './cpe-config';
import { SetTunnelDto, TunnelConfigQueryDto, TunnelConfigSchema, TunnelView, TunnelViewSchema } from './tunnels.schemas';
import { TunnelsService } from './tunnels.service';

@ApiTags('tunnels')
@Controller('subscriptions/:id/tunnel')
@Roles('technician', 'admin')
export class TunnelsController {
  constructor(private readonly tunnels: TunnelsService) {}

  @Put()
  @Operation({
    id: 'setTunnel',
    summary: "Set a subscription's tunnel",
    description:
      "Sets an active subscription's tunnel (explicit values, or a preset plus overrides) and stores the computed MTU and MSS, replacing earlier settings. " +
      "An unknown preset is a 404; an ended subscription is a 409; an inner MTU below a carried family's minimum is a 422.",
    answer: TunnelViewSchema,
    problems: [409, 422],
  })
  set(@Param('id', IdParamPipe) subscriptionId: string, @Body() body: SetTunnelDto): Promise<TunnelView> {
    return this.tunnels.setTunnel(subscriptionId, body);
  }

  @Get()
  @Operation({
    id: 'getTunnel',
    summary: "A subscription's tunnel",
    description: "A subscription's tunnel settings with their computed values; a subscription without tunnel settings is a 404.",
    answer: TunnelViewSchema,
  })
  get(@Param('id', IdParamPipe) subscriptionId: string): Promise<TunnelView> {
    return this.tunnels.getTunnel(subscriptionId);
  }

  @Get('config')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Operation({
    id: 'getTunnelConfig',
    summary: 'CPE-side tunnel configuration',
    description:
      'The CPE-side configuration as text/plain, complete but for the private key: a wg-quick file (Address from the blocks the subscription holds, the MTU and MSS clamp, ' +
      "[Peer] with the association's endpoint and public key, AllowedIPs 0.0.0.0/0, ::/0) or an OpenVPN client profile (remote, MTU and mssfix, the CA and the member's signed certificate inline). " +
      `Lanterne never generates, receives or stores a member's private key: the file holds the placeholder ${PRIVATE_KEY_PLACEHOLDER}, which the member replaces on the CPE with the key made there (wg-quick and openvpn refuse to start until then). ` +
      "A subscription without tunnel settings is a 404; a format that is not the tunnel's kind is a 409, and so is an instance without the association's side of that tunnel (the problem names the missing variables), " +
      'a WireGuard tunnel of a subscription holding no block, or an OpenVPN one without a registered certificate.',
    answer: TunnelConfigSchema,
    mediaType: 'text/plain',
    problems: [409],
  })
  config(@Param('id', IdParamPipe) subscriptionId: string, @Query() query: TunnelConfigQueryDto): Promise<string> {
    return this.tunnels.renderConfig(subscriptionId, query.format);
  }
}
