import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { Page, PaginationDto } from '../common/pagination';
import { Operation } from '../openapi';
import { ZoneFileSchema, ZonePageSchema, ZoneParamDto, ZoneView } from './dns.schemas';
import { ReverseZonesService } from './reverse-zones.service';

@ApiTags('dns')
@Controller('dns/zones')
@Roles('technician', 'admin')
export class ReverseZonesController {
  constructor(private readonly zones: ReverseZonesService) {}

  @Get()
  @Operation({
    id: 'listReverseZones',
    summary: 'Reverse zones of every pool',
    description:
      'The reverse zones that cover the pools: in-addr.arpa on octet boundaries, RFC 2317 classless zones (`<first>-<last>.c.b.a.in-addr.arpa`) for IPv4 pools smaller than a /24, ' +
      'ip6.arpa on nibble boundaries; each with its pool and SOA serial.',
    answer: ZonePageSchema,
  })
  list(@Query() query: PaginationDto): Promise<Page<ZoneView>> {
    return this.zones.listZones(query);
  }

  @Get(':zone')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Operation({
    id: 'getReverseZone',
    summary: 'A reverse zone file',
    description:
      'The zone as an RFC 1035 master file (text/plain), for a name server to load: SOA (serial bumped on each change), NS from the configuration, ' +
      'one PTR per named address held now; a classless zone ends with the records its parent needs, as comments. An unknown zone is a 404; ' +
      'no configured name servers is a 409.',
    answer: ZoneFileSchema,
    mediaType: 'text/plain',
    problems: [404, 409],
  })
  get(@Param() params: ZoneParamDto): Promise<string> {
    return this.zones.zoneFile(params.zone);
  }
}
