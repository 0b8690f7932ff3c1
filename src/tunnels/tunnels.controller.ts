import { Body, Controller, Get, Header, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Operation } from '../openapi';
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
      'The CPE-side configuration fragment as text/plain: a wg-quick [Interface] section or OpenVPN options, with the MTU and the MSS clamp. ' +
      "A subscription without tunnel settings is a 404; a format that is not the tunnel's kind is a 409.",
    answer: TunnelConfigSchema,
    mediaType: 'text/plain',
    problems: [409],
  })
  config(@Param('id', IdParamPipe) subscriptionId: string, @Query() query: TunnelConfigQueryDto): Promise<string> {
    return this.tunnels.renderConfig(subscriptionId, query.format);
  }
}
