import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { PaginationDto } from '../common/pagination';
import { IpAllocationService } from './ip-allocation.service';
import { IpAssignmentsService } from './ip-assignments.service';
import { AssignDto, AssignmentReadDto, AssignmentViewDto, LookupDto, ReleaseDto } from './ipam.schemas';

@ApiTags('ip-assignments')
@ApiBearerAuth()
@Controller()
@Roles('technician', 'admin')
export class IpAssignmentsController {
  constructor(
    private readonly allocation: IpAllocationService,
    private readonly assignments: IpAssignmentsService,
  ) {}

  @Post('subscriptions/:id/ip-assignments')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Assign a block of a pool to an active subscription: the lowest free aligned block, or the prefix asked for. ' +
      'Exhausted pool, or a prefix taken or in quarantine: 409.',
  })
  @ApiResponse({ status: 201, type: AssignmentViewDto })
  assign(@Param('id', IdParamPipe) subscriptionId: string, @Body() body: AssignDto) {
    return this.allocation.assign(subscriptionId, body);
  }

  @Get('subscriptions/:id/ip-assignments')
  @ApiOperation({ summary: 'The blocks a subscription holds now.' })
  listCurrent(@Param('id', IdParamPipe) subscriptionId: string, @Query() query: PaginationDto) {
    return this.assignments.listCurrent(subscriptionId, query);
  }

  @Get('ip-assignments')
  @ApiOperation({
    summary:
      'The assignment(s) covering an address at an instant (default now), with the subscription id only. ' +
      'A past instant needs a purpose, and the lookup is recorded with who asked.',
  })
  lookup(@CurrentActor() actor: Actor, @Query() query: LookupDto) {
    return this.assignments.lookup(actor, query);
  }

  @Get('ip-assignments/:id')
  @ApiOperation({ summary: 'One assignment, with its validity and quarantine. One that has ended is IP history: it needs a purpose and the read is recorded in the ledger.' })
  @ApiResponse({ status: 200, type: AssignmentViewDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdParamPipe) id: string, @Query() query: AssignmentReadDto) {
    return this.assignments.getAssignment(actor, id, query);
  }

  @Post('ip-assignments/:id/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'End an assignment (at defaults to now, never in the future); the block then stays in quarantine quarantineDays.' })
  @ApiResponse({ status: 200, type: AssignmentViewDto })
  release(@Param('id', IdParamPipe) id: string, @Body() body: ReleaseDto) {
    return this.assignments.release(id, body.at);
  }
}
