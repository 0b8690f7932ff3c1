import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AccountsService } from '../auth/accounts.service';
import { PrivilegesService } from '../auth/privileges.service';
import { Actor, SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { CirclesService } from '../consensus/circles.service';
import { ConsensusService } from '../consensus/consensus.service';
import { ClosedBoundProposal, ProposalOutcomes } from '../consensus/proposal-outcomes';
import { LedgerService } from '../ledger/ledger.service';
import { GovernanceError, GovernanceErrorCode } from './governance.errors';
import { Privilege, ProposedPrivilege, ProposePrivilegeInput } from './governance.schemas';
import { closePrivilegeProposal, insertPrivilegeProposal, lockPrivilegeProposal } from './governance.store';

/**
 * Privileges by consensus: a board member proposes to grant or remove admin, ccj or a board seat; the
 * proposal is an ordinary board proposal (positions, quorum 2, a block stops it), bound to the
 * privilege; once adopted, the system executes it in the closing transaction.
 */
@Injectable()
export class PrivilegeProposalsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly privileges: PrivilegesService,
    private readonly consensus: ConsensusService,
    private readonly circles: CirclesService,
    private readonly outcomes: ProposalOutcomes,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.outcomes.register('privilege', (em, closed) => this.closed(em, closed));
  }

  /** Opens the board proposal (403 unless the actor sits on the board) in the transaction that records the privilege it decides. */
  async propose(input: ProposePrivilegeInput, actor: Actor): Promise<ProposedPrivilege> {
    return this.dataSource.transaction(async (em) => {
      const roles = await this.accounts.activeRoles(em, input.accountId);
      if (!roles) throw new GovernanceError(GovernanceErrorCode.AccountNotFound, `No active account ${input.accountId}.`);
      const held = input.role === 'board' ? await this.circles.hasSeat(em, 'board', input.accountId) : roles.includes(input.role);
      if (input.change === 'grant' && held) throw new GovernanceError(GovernanceErrorCode.AlreadyHeld, `Account ${input.accountId} already holds ${describe(input.role)}.`);
      if (input.change === 'revoke' && !held) throw new GovernanceError(GovernanceErrorCode.NotHeld, `Account ${input.accountId} does not hold ${describe(input.role)}.`);
      const id = randomUUID();
      const opened = await this.consensus.openProposal(
        em,
        { title: `${input.change === 'grant' ? 'Grant' : 'Remove'} ${describe(input.role)} ${input.change === 'grant' ? 'to' : 'from'} account ${input.accountId}`, body: input.rationale, circle: 'board', boundTo: { kind: 'privilege', id } },
        actor,
      );
      const row = { id, proposalId: opened.id, accountId: input.accountId, privilege: input.role, change: input.change, openedAt: this.clock.now() };
      if (!(await insertPrivilegeProposal(em, row))) {
        throw new GovernanceError(GovernanceErrorCode.AlreadyProposed, `An open board proposal already decides about ${describe(input.role)} for account ${input.accountId}.`);
      }
      await this.ledger.record(em, {
        actor,
        action: 'privilege.proposed',
        refs: { privilegeProposalId: id, proposalId: opened.id, accountId: input.accountId, role: input.role, change: input.change },
      });
      return { proposalId: opened.id, status: 'open' };
    });
  }

  /** In the closing transaction: an adopted proposal is executed by the system, a rejected one only closes. */
  private async closed(em: EntityManager, closed: ClosedBoundProposal): Promise<void> {
    const row = await lockPrivilegeProposal(em, closed.binding.id);
    if (!row) throw new Error(`proposal ${closed.proposalId} is bound to privilege proposal ${closed.binding.id}, which does not exist`);
    let notApplied: string | null = null;
    if (closed.status === 'adopted') {
      notApplied =
        row.privilege === 'board'
          ? await this.circles.changeBoardSeat(em, row.accountId, row.change, closed.proposalId)
          : await this.privileges.applyAdopted(em, { accountId: row.accountId, role: row.privilege, change: row.change, proposalId: closed.proposalId });
    }
    await closePrivilegeProposal(em, row.id, closed.status, closed.closedAt, notApplied);
    if (notApplied) {
      await this.ledger.record(em, {
        actor: SYSTEM_ACTOR,
        action: 'privilege.not-applied',
        refs: { proposalId: closed.proposalId, accountId: row.accountId, role: row.privilege, change: row.change, reason: notApplied },
      });
    }
  }
}

function describe(privilege: Privilege): string {
  return privilege === 'board' ? 'a board seat' : `the ${privilege} role`;
}
