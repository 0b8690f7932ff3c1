import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page, PaginationDto } from '../common/pagination';
import { Operation } from '../openapi';
import {
  ClearReverseNameDto,
  ReverseNameHistoryPageSchema,
  ReverseNameHistoryView,
  ReverseNamePageSchema,
  ReverseNameView,
  SetReverseNameDto,
  SetReverseNameView,
  SetReverseNameViewSchema,
} from './dns.schemas';
import { ReverseNamesService } from './reverse-names.service';

@ApiTags('dns')
@Controller('subscriptions/:id/reverse-dns')
@Roles('technician', 'admin', 'member')
export class ReverseNamesController {
  constructor(private readonly names: ReverseNamesService) {}

  @Put()
  @Operation({
    id: 'setReverseName',
    summary: 'Set the PTR name of an address',
    description:
      'Sets (or replaces) the PTR name of an address inside a block the subscription holds now; the previous name is kept as history, the zone\'s SOA serial ' +
      'is bumped and routers are told. The answer reports whether the name resolves back to the address (when the check is on), never refusing for it. ' +
      'A member may do it for their own subscriptions only (403 otherwise). An invalid host name is a 400; an address the subscription does not hold is a 409.',
    answer: SetReverseNameViewSchema,
    problems: [409],
  })
  set(@CurrentActor() actor: Actor, @Param('id', IdParamPipe) subscriptionId: string, @Body() body: SetReverseNameDto): Promise<SetReverseNameView> {
    return this.names.set(actor, subscriptionId, body);
  }

  @Delete()
  @HttpCode(204)
  @Operation({
    id: 'clearReverseName',
    summary: 'Clear the PTR name of an address',
    description:
      'Clears the PTR name of an address the subscription holds (kept as history). An address without a name is a 404; one the subscription does not hold is a 409.',
    answer: null,
    problems: [409],
  })
  async clear(@CurrentActor() actor: Actor, @Param('id', IdParamPipe) subscriptionId: string, @Query() query: ClearReverseNameDto): Promise<void> {
    await this.names.clear(actor, subscriptionId, query.address);
  }

  @Get()
  @Operation({ id: 'listReverseNames', summary: "A subscription's PTR names", description: 'The PTR names current on the addresses the subscription holds.', answer: ReverseNamePageSchema })
  list(@CurrentActor() actor: Actor, @Param('id', IdParamPipe) subscriptionId: string, @Query() query: PaginationDto): Promise<Page<ReverseNameView>> {
    return this.names.list(actor, subscriptionId, query);
  }

  @Get('history')
  @Operation({
    id: 'listReverseNameHistory',
    summary: "Every PTR name a subscription's addresses have had",
    description:
      'Current and ended names, newest first, with when and why each ended (replaced, cleared, released with its block). ' +
      'The history goes with its assignment when retention purges that IP history. A member may read their own subscriptions only.',
    answer: ReverseNameHistoryPageSchema,
  })
  history(@CurrentActor() actor: Actor, @Param('id', IdParamPipe) subscriptionId: string, @Query() query: PaginationDto): Promise<Page<ReverseNameHistoryView>> {
    return this.names.history(actor, subscriptionId, query);
  }
}
