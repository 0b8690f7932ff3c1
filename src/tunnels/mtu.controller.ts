import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { Operation } from '../openapi';
import { MtuComputeDto, TunnelMtuView, TunnelMtuViewSchema } from './tunnels.schemas';
import { TunnelsService } from './tunnels.service';

@ApiTags('tunnels')
@Controller('mtu')
@Roles('technician', 'admin')
export class MtuController {
  constructor(private readonly tunnels: TunnelsService) {}

  @Post('compute')
  @HttpCode(200)
  @Operation({
    id: 'computeMtu',
    summary: 'Compute a tunnel MTU',
    description:
      'Inner MTU and TCP MSS of a tunnel: underlayMtu minus the header bytes of each layer (e.g. 1500 with [ipv6, udp, wireguard] gives 1420). ' +
      "An unknown layer or an underlayMtu outside 68..65535 is a 400; an inner MTU below a carried family's minimum (IPv6 1280, IPv4 576) is a 422 with the reason. Stores nothing.",
    answer: TunnelMtuViewSchema,
    problems: [422],
  })
  compute(@Body() body: MtuComputeDto): TunnelMtuView {
    return this.tunnels.compute(body);
  }
}
