import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Public, Roles } from '../common/access';
import { CIRCLE_ROLES } from '../consensus/consensus-rules';
import { Operation } from '../openapi';
import { AdminActionsService } from './admin-actions.service';
import { AdminActionPage, AdminActionPageSchema, AdminActionsQueryDto, ProposedPrivilege, ProposedPrivilegeSchema, ProposePrivilegeDto } from './governance.schemas';
import { PrivilegeProposalsService } from './privilege-proposals.service';

@ApiTags('governance')
@Controller()
export class GovernanceController {
  constructor(
    private readonly privileges: PrivilegeProposalsService,
    private readonly adminActions: AdminActionsService,
  ) {}

  @Post('privilege-proposals')
  @HttpCode(201)
  @Roles(...CIRCLE_ROLES)
  @Operation({
    id: 'proposePrivilege',
    summary: 'Propose to grant or remove a privilege',
    description:
      'Opens a board proposal (quorum 2) to grant or remove the admin or ccj role, or a board seat, of an account; only board members may (403). ' +
      'Once adopted, the system executes it in the closing transaction, recorded in the ledger with the proposal id. ' +
      'An unknown or revoked account is a 404; granting what the account holds, removing what it does not, or a second open proposal for the same account and privilege is a 409.',
    answer: ProposedPrivilegeSchema,
    problems: [404, 409],
  })
  propose(@Body() body: ProposePrivilegeDto, @CurrentActor() actor: Actor): Promise<ProposedPrivilege> {
    return this.privileges.propose(body, actor);
  }

  @Get('public/admin-actions')
  @Public()
  @Operation({
    id: 'listAdminActions',
    summary: 'The public log of admin actions',
    description:
      'Every ledger entry taken as admin, ccj, observer or system, newest first: time, role, action, the member concerned as a pseudonym (a keyed hash, ' +
      'forgotten with their identity), the category of a purpose, the refs each action shows publicly, and the leaf hash. With proofs=true, each entry ' +
      'carries its inclusion proof in the tree of treeSize (by default the latest signed checkpoint): it proves that an entry with this hash is at this ' +
      'index of the signed log; the shown fields can be held against the leaf only by whoever may read entries (docs/ledger.md). A treeSize beyond the log is a 404.',
    answer: AdminActionPageSchema,
    problems: [404],
  })
  adminActionsPage(@Query() query: AdminActionsQueryDto): Promise<AdminActionPage> {
    return this.adminActions.list(query);
  }
}
