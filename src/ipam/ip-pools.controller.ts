import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page, PaginationDto } from '../common/pagination';
import { Operation } from '../openapi';
import { IpPoolsService } from './ip-pools.service';
import { CreatePoolDto, PoolUsagePageSchema, PoolUsageView, PoolUsageViewSchema, PoolView, PoolViewSchema } from './ipam.schemas';

@ApiTags('ip-pools')
@Controller('ip-pools')
@Roles('technician', 'admin')
export class IpPoolsController {
  constructor(private readonly pools: IpPoolsService) {}

  @Post()
  @HttpCode(201)
  @Operation({
    id: 'createPool',
    summary: 'Create an IP pool',
    description:
      'Creates an IPv4 or IPv6 pool cut into blocks of assignLength. In an IPv4 pool shorter than /31 the first and last address are never assigned. ' +
      'A prefix with host bits set or an assignLength shorter than the prefix is a 400; a pool overlapping another, or a name taken, is a 409.',
    answer: PoolViewSchema,
    problems: [409],
  })
  create(@Body() body: CreatePoolDto): Promise<PoolView> {
    return this.pools.createPool(body);
  }

  @Get()
  @Operation({ id: 'listPools', summary: 'List IP pools', description: 'Pools by name, each with its utilisation (size, assigned, quarantined, free, in blocks).', answer: PoolUsagePageSchema })
  list(@Query() query: PaginationDto): Promise<Page<PoolUsageView>> {
    return this.pools.listPools(query);
  }

  @Get(':id')
  @Operation({ id: 'getPool', summary: 'Get an IP pool', description: 'A pool with its utilisation counted in blocks of assignLength.', answer: PoolUsageViewSchema })
  get(@Param('id', IdParamPipe) id: string): Promise<PoolUsageView> {
    return this.pools.getPool(id);
  }
}
