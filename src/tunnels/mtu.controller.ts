import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { MtuComputeDto, TunnelMtuViewDto } from './tunnels.schemas';
import { TunnelsService } from './tunnels.service';

@ApiTags('tunnels')
@ApiBearerAuth()
@Controller('mtu')
@Roles('technician', 'admin')
export class MtuController {
  constructor(private readonly tunnels: TunnelsService) {}

  @Post('compute')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Inner MTU and TCP MSS of a tunnel: underlayMtu minus the header bytes of each layer. ' +
      "422 with the reason when the inner MTU is below a carried family's minimum (IPv6 1280, IPv4 576).",
  })
  @ApiResponse({ status: 200, type: TunnelMtuViewDto })
  compute(@Body() body: MtuComputeDto) {
    return this.tunnels.compute(body);
  }
}
