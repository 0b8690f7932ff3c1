import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page, PaginationDto } from '../common/pagination';
import { Operation } from '../openapi';
import { IpAllocationService } from './ip-allocation.service';
import { IpAssignmentsService } from './ip-assignments.service';
import { AssignDto, AssignmentPageSchema, AssignmentReadDto, AssignmentView, AssignmentViewSchema, LookupDto, LookupView, LookupViewSchema, ReleaseDto } from './ipam.schemas';

@ApiTags('ip-assignments')
@Controller()
@Roles('technician', 'admin')
export class IpAssignmentsController {
  constructor(
    private readonly allocation: IpAllocationService,
    private readonly assignments: IpAssignmentsService,
  ) {}

  @Post('subscriptions/:id/ip-assignments')
  @HttpCode(201)
  @Operation({
    id: 'assignAddress',
    summary: 'Assign a block to a subscription',
    description:
      'Assigns a block of a pool to an active subscription: the lowest free aligned block, or the prefix asked for. ' +
      'Concurrent requests never receive the same block. An unknown pool is a 404; an exhausted pool, a prefix taken or in quarantine, ' +
      'or an ended subscription is a 409; a validFrom in the future or before the subscription starts is a 422.',
    answer: AssignmentViewSchema,
    problems: [409, 422],
  })
  assign(@Param('id', IdParamPipe) subscriptionId: string, @Body() body: AssignDto): Promise<AssignmentView> {
    return this.allocation.assign(subscriptionId, body);
  }

  @Get('subscriptions/:id/ip-assignments')
  @Operation({ id: 'listSubscriptionAddresses', summary: 'Blocks a subscription holds', description: 'The blocks a subscription holds now (current assignments only).', answer: AssignmentPageSchema })
  listCurrent(@Param('id', IdParamPipe) subscriptionId: string, @Query() query: PaginationDto): Promise<Page<AssignmentView>> {
    return this.assignments.listCurrent(subscriptionId, query);
  }

  @Get('ip-assignments')
  @Operation({
    id: 'lookupAddress',
    summary: 'Who held an address at an instant',
    description:
      'The assignment(s) covering an address at an instant (default now), with the subscription id only: no identity. ' +
      'A past instant needs a purpose (400 without it), and the lookup is then recorded in the ledger with who asked and why; ' +
      'an instant in the future is a 422.',
    answer: LookupViewSchema,
    problems: [422],
  })
  lookup(@CurrentActor() actor: Actor, @Query() query: LookupDto): Promise<LookupView> {
    return this.assignments.lookup(actor, query);
  }

  @Get('ip-assignments/:id')
  @Operation({
    id: 'getAssignment',
    summary: 'Get an assignment',
    description: 'One assignment, with its validity and quarantine. One that has ended is IP history: it needs a purpose (400 without it) and the read is recorded in the ledger.',
    answer: AssignmentViewSchema,
  })
  get(@CurrentActor() actor: Actor, @Param('id', IdParamPipe) id: string, @Query() query: AssignmentReadDto): Promise<AssignmentView> {
    return this.assignments.getAssignment(actor, id, query);
  }

  @Post('ip-assignments/:id/release')
  @HttpCode(200)
  @Operation({
    id: 'releaseAssignment',
    summary: 'Release an assignment',
    description:
      'Ends an assignment at `at` (default now); the block then stays in quarantine for its pool\'s quarantineDays. ' +
      'An assignment already released is a 409; an `at` in the future or before validFrom is a 422.',
    answer: AssignmentViewSchema,
    problems: [409, 422],
  })
  release(@Param('id', IdParamPipe) id: string, @Body() body: ReleaseDto): Promise<AssignmentView> {
    return this.assignments.release(id, body.at);
  }
}
