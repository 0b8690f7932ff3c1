import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Public, Roles } from '../common/access';
import { Page } from '../common/pagination';
import { Operation } from '../openapi';
import {
  CanaryHistoryQueryDto,
  CanaryHistorySchema,
  CanaryView,
  CanaryViewSchema,
  EarlierCanary,
  ProposeCanaryDto,
  ProposedCanary,
  ProposedCanarySchema,
} from './canary.schemas';
import { CanaryService } from './canary.service';

@ApiTags('canary')
@Controller('canary')
export class CanaryController {
  constructor(private readonly canary: CanaryService) {}

  @Get()
  @Public()
  @Operation({
    id: 'getCanary',
    summary: 'The warrant canary',
    description:
      'The latest statement adopted by the ccj circle, signed with the ledger key (the key of GET /ledger/checkpoint) over ' +
      '"lanterne-canary\\n<issuedAt>\\n<renewBy>\\n<SHA-256 of the statement, hex>\\n". Once renewBy has passed without a newer one it reads lapsed: ' +
      'it is never refreshed but by a new adoption. 404 when no canary was ever issued. `lanterne verify-canary` checks it from outside.',
    answer: CanaryViewSchema,
    problems: [404],
  })
  current(): Promise<CanaryView> {
    return this.canary.current();
  }

  @Get('history')
  @Public()
  @Operation({ id: 'listEarlierCanaries', summary: 'Earlier warrant canaries', description: 'Every canary issued before the current one, latest first, each with its signature.', answer: CanaryHistorySchema })
  history(@Query() query: CanaryHistoryQueryDto): Promise<Page<EarlierCanary>> {
    return this.canary.history(query);
  }

  @Post('proposals')
  @HttpCode(201)
  @Roles('ccj')
  @Operation({
    id: 'proposeCanary',
    summary: 'Propose a warrant canary',
    description:
      'Opens a ccj proposal whose body is the statement; a member of the ccj circle with a valid accreditation may (403 otherwise). Once adopted, the canary is issued at the ' +
      'adoption instant and recorded in the ledger, unless renewBy has passed by then (it is then not issued). A renewBy already past is a 422.',
    answer: ProposedCanarySchema,
    problems: [422],
  })
  propose(@Body() body: ProposeCanaryDto, @CurrentActor() actor: Actor): Promise<ProposedCanary> {
    return this.canary.propose(body, actor);
  }
}
