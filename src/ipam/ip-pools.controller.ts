import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { PaginationDto } from '../common/pagination';
import { IpPoolsService } from './ip-pools.service';
import { CreatePoolDto, PoolUsageViewDto, PoolViewDto } from './ipam.schemas';

@ApiTags('ip-pools')
@ApiBearerAuth()
@Controller('ip-pools')
@Roles('technician', 'admin')
export class IpPoolsController {
  constructor(private readonly pools: IpPoolsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an IPv4 or IPv6 pool cut into blocks of assignLength. Pools never overlap (409).' })
  @ApiResponse({ status: 201, type: PoolViewDto })
  create(@Body() body: CreatePoolDto) {
    return this.pools.createPool(body);
  }

  @Get()
  @ApiOperation({ summary: 'List pools with their utilisation (size, assigned, quarantined, free, in blocks).' })
  list(@Query() query: PaginationDto) {
    return this.pools.listPools(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A pool with its utilisation counted in blocks of assignLength.' })
  @ApiResponse({ status: 200, type: PoolUsageViewDto })
  get(@Param('id', IdParamPipe) id: string) {
    return this.pools.getPool(id);
  }
}
