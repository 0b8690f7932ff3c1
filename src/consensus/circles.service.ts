import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountsService } from '../auth/accounts.service';
import { PrivilegesService } from '../auth/privileges.service';
import { Actor, SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { LedgerService } from '../ledger/ledger.service';
import { accreditationExpired, Circle, CIRCLE_ROLES, CIRCLES } from './consensus-rules';
import { ConsensusError, ConsensusErrorCode } from './consensus.errors';
import { AccreditationInput, AddMemberInput, MemberList, MemberView } from './consensus.schemas';
import { currentMembers, currentMembership, endMembership, insertMembership, MembershipRow } from './consensus.store';

/**
 * Who sits in a circle. An admin manages the ccj circle; a seat in the board is given or taken by an
 * adopted board proposal (outside the bootstrap). A ccj member holds an accreditation whose expiry
 * takes away the right to take a position on, or execute, a legal decision. Every change is recorded
 * in the ledger in the transaction that makes it; a membership ends rather than being deleted.
 */
@Injectable()
export class CirclesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly privileges: PrivilegesService,
  ) {}

  onModuleInit(): void {
    this.privileges.holdings.register('board-seat', (em, accountId) => this.hasSeat(em, 'board', accountId));
  }

  async members(name: string): Promise<MemberList> {
    const circle = this.circleNamed(name);
    const now = this.clock.now();
    return { circle, items: (await currentMembers(this.dataSource.manager, circle)).map((row) => memberView(row, now)) };
  }

  /** A board seat decides privileges: outside the bootstrap, only an adopted board proposal gives or takes one (changeBoardSeat). */
  async addMember(name: string, input: AddMemberInput, actor: Actor): Promise<MemberView> {
    const circle = this.circleNamed(name);
    return this.dataSource.transaction(async (em) => {
      if (circle === 'board') await this.privileges.assertMayChangeDirectly(em, actor, 'A seat in the board circle');
      return this.addMemberIn(em, circle, input, actor);
    });
  }

  private async addMemberIn(em: EntityManager, circle: Circle, input: AddMemberInput, actor: Actor, proposalId?: string): Promise<MemberView> {
    const roles = await this.accounts.activeRoles(em, input.accountId);
    if (!roles) throw new ConsensusError(ConsensusErrorCode.AccountNotFound, `No active account ${input.accountId}.`);
    if (circle === 'ccj' && !roles.includes('ccj')) throw new ConsensusError(ConsensusErrorCode.RoleRequired, 'Only an account with the ccj role may join the ccj circle.');
    if (!roles.some((role) => (CIRCLE_ROLES as readonly string[]).includes(role))) {
      throw new ConsensusError(ConsensusErrorCode.RoleRequired, `Only an account with one of the roles ${CIRCLE_ROLES.join(', ')} may join a circle.`);
    }
    if ((circle === 'ccj') !== (input.accreditation !== undefined)) {
      throw new ConsensusError(
        ConsensusErrorCode.AccreditationRequired,
        circle === 'ccj' ? 'A ccj member joins with an accreditation (granted on, expires on, by which authority).' : 'Board members hold no accreditation.',
        { errors: [{ path: 'accreditation', message: circle === 'ccj' ? 'required in the ccj circle' : 'only in the ccj circle' }] },
      );
    }
    if (input.accreditation) assertAccreditationSpan(input.accreditation, 'accreditation.expiresOn');
    const now = this.clock.now();
    const id = await insertMembership(em, { circle, accountId: input.accountId, joinedAt: now, accreditation: input.accreditation });
    if (!id) throw new ConsensusError(ConsensusErrorCode.AlreadyMember, `Account ${input.accountId} is already in the ${circle} circle.`);
    await this.ledger.record(em, {
      actor,
      action: 'circle.member-added',
      refs: {
        circle,
        accountId: input.accountId,
        membershipId: id,
        ...(proposalId ? { proposalId } : {}),
        ...(input.accreditation
          ? { accreditedOn: input.accreditation.grantedOn, accreditationExpiresOn: input.accreditation.expiresOn, accreditationAuthority: input.accreditation.authority }
          : {}),
      },
    });
    return memberView((await currentMembership(em, circle, input.accountId)) as MembershipRow, now);
  }

  /**
   * Executes an adopted board proposal giving or taking a board seat, in its closing transaction, as
   * the system; answers why it could not be done (for the caller to record), or null once done.
   */
  async changeBoardSeat(em: EntityManager, accountId: string, change: 'grant' | 'revoke', proposalId: string): Promise<string | null> {
    if (change === 'revoke') {
      const membership = await currentMembership(em, 'board', accountId, true);
      if (!membership) return 'not-a-member';
      await this.endMembershipIn(em, 'board', membership, SYSTEM_ACTOR, proposalId);
      return null;
    }
    try {
      await this.addMemberIn(em, 'board', { accountId }, SYSTEM_ACTOR, proposalId);
      return null;
    } catch (error) {
      if (error instanceof ConsensusError) return error.code;
      throw error;
    }
  }

  /**
   * A renewed (or corrected) accreditation: the membership in force ends and a new one begins with it,
   * in one transaction, so the table keeps every accreditation a member held.
   */
  async renewAccreditation(name: string, accountId: string, input: AccreditationInput, actor: Actor): Promise<MemberView> {
    if (this.circleNamed(name) !== 'ccj') throw new ConsensusError(ConsensusErrorCode.CircleNotFound, 'Only the ccj circle holds accreditations.');
    assertAccreditationSpan(input, 'expiresOn');
    return this.dataSource.transaction(async (em) => {
      const membership = await currentMembership(em, 'ccj', accountId, true);
      if (!membership) throw new ConsensusError(ConsensusErrorCode.MembershipNotFound, `Account ${accountId} is not in the ccj circle.`);
      const now = this.clock.now();
      await endMembership(em, membership.id, now);
      const id = (await insertMembership(em, { circle: 'ccj', accountId, joinedAt: now, accreditation: input })) as string;
      await this.ledger.record(em, {
        actor,
        action: 'circle.accreditation-renewed',
        refs: {
          circle: 'ccj',
          accountId,
          membershipId: id,
          previousMembershipId: membership.id,
          previousExpiresOn: membership.accreditationExpiresOn,
          accreditedOn: input.grantedOn,
          accreditationExpiresOn: input.expiresOn,
          accreditationAuthority: input.authority,
        },
      });
      return memberView((await currentMembership(em, 'ccj', accountId)) as MembershipRow, now);
    });
  }

  /** Leaving ends the membership; it stays in the table and the ledger as history. A board seat is governed as in addMember. */
  async removeMember(name: string, accountId: string, actor: Actor): Promise<void> {
    const circle = this.circleNamed(name);
    await this.dataSource.transaction(async (em) => {
      if (circle === 'board' && actor.id !== accountId) await this.privileges.assertMayChangeDirectly(em, actor, 'Removing a seat in the board circle');
      const membership = await currentMembership(em, circle, accountId, true);
      if (!membership) throw new ConsensusError(ConsensusErrorCode.MembershipNotFound, `Account ${accountId} is not in the ${circle} circle.`);
      await this.endMembershipIn(em, circle, membership, actor);
    });
  }

  private async endMembershipIn(em: EntityManager, circle: Circle, membership: MembershipRow, actor: Actor, proposalId?: string): Promise<void> {
    await endMembership(em, membership.id, this.clock.now());
    await this.ledger.record(em, {
      actor,
      action: 'circle.member-left',
      refs: { circle, accountId: membership.accountId, membershipId: membership.id, ...(proposalId ? { proposalId } : {}) },
    });
  }

  async hasSeat(em: EntityManager, circle: Circle, accountId: string): Promise<boolean> {
    return (await currentMembership(em, circle, accountId)) !== undefined;
  }

  /** 403 unless the actor is a current ccj member whose accreditation holds at `at`; the problem names the expiry. */
  async assertMayExecute(actor: Actor, at: Date, em: EntityManager = this.dataSource.manager): Promise<void> {
    await this.assertMayTakePart(em, 'ccj', actor, at);
  }

  async assertMember(em: EntityManager, circle: Circle, actor: Actor): Promise<MembershipRow> {
    const membership = actor.id ? await currentMembership(em, circle, actor.id) : undefined;
    // An account that lost its ccj role keeps its membership row until an admin ends it, but no say.
    if (!membership || (circle === 'ccj' && !actor.roles.includes('ccj'))) throw new ConsensusError(ConsensusErrorCode.NotMember, `Only members of the ${circle} circle may do this.`);
    return membership;
  }

  async assertMayTakePart(em: EntityManager, circle: Circle, actor: Actor, at: Date): Promise<void> {
    const membership = await this.assertMember(em, circle, actor);
    if (circle === 'ccj' && accreditationExpired(membership.accreditationExpiresOn as string, at)) {
      throw new ConsensusError(
        ConsensusErrorCode.AccreditationExpired,
        `Your ccj accreditation expired on ${membership.accreditationExpiresOn}: it must be renewed before you take a position on, or execute, a legal decision.`,
        { expiredOn: membership.accreditationExpiresOn },
      );
    }
  }

  circleNamed(name: string): Circle {
    // Not repeated back: the path is whatever was typed.
    if (!(CIRCLES as readonly string[]).includes(name)) throw new ConsensusError(ConsensusErrorCode.CircleNotFound, `No circle of that name; the circles are ${CIRCLES.join(', ')}.`);
    return name as Circle;
  }
}

function assertAccreditationSpan(accreditation: AccreditationInput, path: string): void {
  if (accreditation.expiresOn <= accreditation.grantedOn) {
    throw new ConsensusError(ConsensusErrorCode.AccreditationRequired, 'An accreditation expires after the day it was granted.', {
      errors: [{ path, message: 'must be after grantedOn' }],
    });
  }
}

function memberView(row: MembershipRow, now: Date): MemberView {
  return {
    accountId: row.accountId,
    name: row.name,
    joinedAt: row.joinedAt.toISOString(),
    accreditation: row.accreditedOn
      ? {
          grantedOn: row.accreditedOn,
          expiresOn: row.accreditationExpiresOn as string,
          authority: row.accreditationAuthority as string,
          expired: accreditationExpired(row.accreditationExpiresOn as string, now),
        }
      : null,
  };
}
