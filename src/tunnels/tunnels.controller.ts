import { Body, Controller, Get, Header, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { SetTunnelDto, TunnelConfigQueryDto, TunnelViewDto } from './tunnels.schemas';
import { TunnelsService } from './tunnels.service';

@ApiTags('tunnels')
@ApiBearerAuth()
@Controller('subscriptions/:id/tunnel')
@Roles('technician', 'admin')
export class TunnelsController {
  constructor(private readonly tunnels: TunnelsService) {}

  @Put()
  @ApiOperation({ summary: "Set an active subscription's tunnel (explicit values, or a preset plus overrides) and store the computed MTU and MSS." })
  @ApiResponse({ status: 200, type: TunnelViewDto })
  set(@Param('id', IdParamPipe) subscriptionId: string, @Body() body: SetTunnelDto) {
    return this.tunnels.setTunnel(subscriptionId, body);
  }

  @Get()
  @ApiOperation({ summary: "A subscription's tunnel settings with their computed values." })
  @ApiResponse({ status: 200, type: TunnelViewDto })
  get(@Param('id', IdParamPipe) subscriptionId: string) {
    return this.tunnels.getTunnel(subscriptionId);
  }

  @Get('config')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'The CPE-side configuration fragment (wg-quick [Interface] or OpenVPN options) with the MTU and the MSS clamp.' })
  config(@Param('id', IdParamPipe) subscriptionId: string, @Query() query: TunnelConfigQueryDto) {
    return this.tunnels.renderConfig(subscriptionId, query.format);
  }
}
