import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Operation } from '../openapi';
import { ClosedProposal, ClosedProposalSchema, OpenedProposalSchema, OpenProposalDto, ProposalView, ProposalViewSchema, TakePositionDto } from './consensus.schemas';
import { CIRCLE_ROLES } from './consensus-rules';
import { ConsensusService } from './consensus.service';

/**
 * The staff roles: self-service member accounts sit in no circle. Who may act on a proposal is decided
 * by circle membership, in the service.
 */
@ApiTags('proposals')
@Controller('proposals')
@Roles(...CIRCLE_ROLES)
export class ProposalsController {
  constructor(private readonly consensus: ConsensusService) {}

  @Post()
  @HttpCode(201)
  @Operation({
    id: 'openProposal',
    summary: 'Open a proposal',
    description:
      "Opens a proposal to the circle's decision by consent, recorded in the ledger; only members of the circle may (a ccj member with a current accreditation). " +
      'With `closesAt`, it closes by itself then.',
    answer: OpenedProposalSchema,
  })
  open(@Body() body: OpenProposalDto, @CurrentActor() actor: Actor): Promise<{ id: string; status: 'open' }> {
    return this.consensus.open(body, actor);
  }

  @Get(':id')
  @Operation({
    id: 'getProposal',
    summary: 'Get a proposal',
    description:
      "The proposal, each member's current position with its history, and the members who have not taken one yet. " +
      "On a blind proposal still open, the others' positions are hidden from a caller who has not taken theirs. Members of the circle and admins.",
    answer: ProposalViewSchema,
  })
  get(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<ProposalView> {
    return this.consensus.get(id, actor);
  }

  @Post(':id/positions')
  @HttpCode(200)
  @Operation({
    id: 'takePosition',
    summary: 'Take or change a position',
    description:
      'Consent, concern, stand aside or block (a concern and a block need a reason). A new position replaces the current one, which is kept as history; ' +
      'recorded in the ledger. Only members of the circle; on a ccj proposal, an expired accreditation is a 403 naming its expiry. A closed proposal is a 409.',
    answer: ProposalViewSchema,
    problems: [409],
  })
  take(@Param('id', IdParamPipe) id: string, @Body() body: TakePositionDto, @CurrentActor() actor: Actor): Promise<ProposalView> {
    return this.consensus.takePosition(id, body, actor);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Operation({
    id: 'closeProposal',
    summary: 'Close a proposal',
    description:
      'Closes it with its tally of current positions: adopted when consents reach the quorum and no block stands, else rejected; recorded in the ledger. ' +
      'Closing a closed proposal answers the same result again. Members of the circle.',
    answer: ClosedProposalSchema,
  })
  close(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<ClosedProposal> {
    return this.consensus.close(id, actor);
  }
}
