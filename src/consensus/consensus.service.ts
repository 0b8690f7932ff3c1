import { Injectable, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, readsAsAdmin, SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { AccountsService } from '../auth/accounts.service';
import { PrivilegesService } from '../auth/privileges.service';
import { LedgerService } from '../ledger/ledger.service';
import { JobRegistry } from '../queue/job-registry';
import { accreditationExpired, Circle, CIRCLE_ROLES, CIRCLES, outcomeOf, PositionKind, Tally, tally } from './consensus-rules';
import { ConsensusError, ConsensusErrorCode } from './consensus.errors';
import { AccreditationInput, AddMemberInput, ClosedProposal, MemberList, MemberView, OpenProposalInput, PositionView, ProposalView, TakePositionInput } from './consensus.schemas';
import {
  currentMembers,
  currentMembership,
  endMembership,
  findProposal,
  insertMembership,
  insertPosition,
  insertProposal,
  markClosed,
  MembershipRow,
  PositionRow,
  positionsOf,
  ProposalRow,
  supersedePosition,
} from './consensus.store';
import { CircleNotices } from './circle-notices';
import { ProposalCloser } from './proposal-closer';
import { Binding, ProposalOutcomes } from './proposal-outcomes';

export interface Outcome {
  status: 'open' | 'adopted' | 'rejected';
  tally: Tally | null;
  binding: Binding | null;
  closedAt: Date | null;
}

/**
 * Circles and their decisions by consent. An admin manages who is in a circle; a ccj member holds an
 * accreditation whose expiry takes away the right to take a position on, or execute, a legal decision.
 * Members of a circle open its proposals, take positions (one current each, every change kept) and
 * close them. Every change is recorded in the ledger in the transaction that makes it.
 */
@Injectable()
export class ConsensusService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly closer: ProposalCloser,
    private readonly jobs: JobRegistry,
    private readonly outcomes: ProposalOutcomes,
    private readonly notices: CircleNotices,
    private readonly privileges: PrivilegesService,
  ) {}

  onModuleInit(): void {
    this.privileges.holdings.register('board-seat', (em, accountId) => this.hasSeat(em, 'board', accountId));
    this.jobs.register('consensus', 'close', z.object({ proposalId: z.uuid() }), ({ proposalId }) => this.closeDue(proposalId));
  }

  async members(name: string): Promise<MemberList> {
    const circle = this.circle(name);
    const now = this.clock.now();
    return { circle, items: (await currentMembers(this.dataSource.manager, circle)).map((row) => memberView(row, now)) };
  }

  /** A board seat decides privileges: outside the bootstrap, only an adopted board proposal gives or takes one (changeBoardSeat). */
  async addMember(name: string, input: AddMemberInput, actor: Actor): Promise<MemberView> {
    const circle = this.circle(name);
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
    if (this.circle(name) !== 'ccj') throw new ConsensusError(ConsensusErrorCode.CircleNotFound, 'Only the ccj circle holds accreditations.');
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
    const circle = this.circle(name);
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

  async open(input: OpenProposalInput, actor: Actor): Promise<{ id: string; status: 'open' }> {
    const opened = await this.dataSource.transaction((em) => this.openProposal(em, input, actor));
    // After the commit: the job must find the row. Lost adds are made good by the sweep.
    if (input.closesAt) await this.closer.scheduleClose(opened.id, input.closesAt);
    return opened;
  }

  /**
   * Opens a proposal in the caller's transaction, for another context that binds it to what it decides
   * about (`boundTo`: at most one open proposal per bound thing). Its `closesAt`, if any, is scheduled
   * by the close sweep within a minute of the commit.
   */
  async openProposal(
    em: EntityManager,
    input: { title: string; body: string; circle: Circle; quorum?: number; blind?: boolean; closesAt?: Date; boundTo?: Binding },
    actor: Actor,
  ): Promise<{ id: string; status: 'open' }> {
    const now = this.clock.now();
    if (actor.id !== null) await this.assertMayTakePart(em, input.circle, actor, now);
    const row = {
      title: input.title,
      body: input.body,
      circle: input.circle,
      quorum: input.quorum ?? 2,
      blind: input.blind ?? false,
      closesAt: input.closesAt ?? null,
      binding: input.boundTo ? { kind: input.boundTo.kind, id: input.boundTo.id } : null,
      openedAt: now,
      openedBy: actor.id,
    };
    const id = await insertProposal(em, row);
    if (!id) throw new ConsensusError(ConsensusErrorCode.AlreadyBound, `An open proposal already decides about this ${input.boundTo?.kind}.`);
    await this.ledger.record(em, {
      actor,
      action: 'proposal.opened',
      refs: { proposalId: id, circle: row.circle, quorum: row.quorum, blind: row.blind, closesAt: row.closesAt?.toISOString() ?? null, ...bindingRefs(row.binding) },
    });
    await this.notices.notify(em, row.circle, 'proposal-opened', { proposalId: id, ...(row.closesAt ? { closesAt: row.closesAt.toISOString() } : {}) });
    return { id, status: 'open' };
  }

  async takePosition(proposalId: string, input: TakePositionInput, actor: Actor): Promise<ProposalView> {
    return this.dataSource.transaction(async (em) => {
      const proposal = await this.lockOpen(em, proposalId);
      const now = this.clock.now();
      await this.assertMayTakePart(em, proposal.circle, actor, now);
      const previous = await supersedePosition(em, proposal.id, actor.id as string, now);
      await insertPosition(em, { proposalId: proposal.id, accountId: actor.id as string, position: input.position, reason: input.reason ?? null, takenAt: now });
      await this.ledger.record(em, {
        actor,
        action: 'proposal.position-taken',
        refs: { proposalId: proposal.id, circle: proposal.circle, position: input.position, previous: previous ?? null },
        // A reason is typed by a person: held beside the leaf, erasable.
        ...(input.reason ? { personal: { reason: input.reason } } : {}),
      });
      return this.view(em, proposal, actor);
    });
  }

  /** Closes by a member's hand; closing a closed proposal answers its result again. */
  async close(proposalId: string, actor: Actor): Promise<ClosedProposal> {
    return this.dataSource.transaction(async (em) => {
      const proposal = await this.find(em, proposalId, true);
      await this.assertMember(em, proposal.circle, actor);
      if (proposal.status !== 'open') return { status: proposal.status, tally: proposal.tally as Tally };
      return this.closeLocked(em, proposal, actor);
    });
  }

  /** The close job's entry, at `closesAt`: idempotent, a no-op on a proposal already closed. */
  async closeDue(proposalId: string): Promise<ClosedProposal | null> {
    return this.dataSource.transaction(async (em) => {
      const proposal = await findProposal(em, proposalId, true);
      // Rolled back with the transaction that opened it: nothing to close.
      if (!proposal) return null;
      if (proposal.status !== 'open') return { status: proposal.status, tally: proposal.tally as Tally };
      return this.closeLocked(em, proposal, SYSTEM_ACTOR);
    });
  }

  async outcome(proposalId: string): Promise<Outcome> {
    const proposal = await this.find(this.dataSource.manager, proposalId);
    return { status: proposal.status, tally: proposal.tally, binding: proposal.binding, closedAt: proposal.closedAt };
  }

  async get(proposalId: string, actor: Actor): Promise<ProposalView> {
    const em = this.dataSource.manager;
    const proposal = await this.find(em, proposalId);
    if (!readsAsAdmin(actor)) await this.assertMember(em, proposal.circle, actor);
    return this.view(em, proposal, actor);
  }

  private async closeLocked(em: EntityManager, proposal: ProposalRow, actor: Actor): Promise<ClosedProposal> {
    const current = (await positionsOf(em, proposal.id)).filter((row) => row.current).map((row) => row.position);
    const counts = tally(current);
    const status = outcomeOf(counts, proposal.quorum);
    const closedAt = this.clock.now();
    await markClosed(em, proposal.id, status, counts, closedAt);
    await this.ledger.record(em, {
      actor,
      action: 'proposal.closed',
      refs: { proposalId: proposal.id, circle: proposal.circle, status, quorum: proposal.quorum, ...counts, ...bindingRefs(proposal.binding) },
    });
    if (proposal.circle === 'board' && status === 'adopted') await this.privileges.endBootstrap(em, proposal.id, closedAt);
    if (proposal.binding) await this.outcomes.closed(em, { proposalId: proposal.id, binding: proposal.binding, status, tally: counts, closedAt, actor });
    await this.notices.notify(em, proposal.circle, 'proposal-closed', { proposalId: proposal.id, status });
    return { status, tally: counts };
  }

  private async view(em: EntityManager, proposal: ProposalRow, actor: Actor): Promise<ProposalView> {
    const rows = await positionsOf(em, proposal.id);
    const members = await currentMembers(em, proposal.circle);
    const decided = new Set(rows.filter((row) => row.current).map((row) => row.accountId));
    const hidden = proposal.blind && proposal.status === 'open' && !decided.has(actor.id as string);
    return {
      id: proposal.id,
      title: proposal.title,
      body: proposal.body,
      circle: proposal.circle,
      quorum: proposal.quorum,
      blind: proposal.blind,
      closesAt: proposal.closesAt?.toISOString() ?? null,
      status: proposal.status,
      openedAt: proposal.openedAt.toISOString(),
      closedAt: proposal.closedAt?.toISOString() ?? null,
      tally: proposal.tally,
      positionsHidden: hidden,
      positions: hidden ? [] : positionViews(rows),
      undecided: members.filter((member) => !decided.has(member.accountId)).map((member) => ({ accountId: member.accountId, name: member.name })),
    };
  }

  private async assertMember(em: EntityManager, circle: Circle, actor: Actor): Promise<MembershipRow> {
    const membership = actor.id ? await currentMembership(em, circle, actor.id) : undefined;
    // An account that lost its ccj role keeps its membership row until an admin ends it, but no say.
    if (!membership || (circle === 'ccj' && !actor.roles.includes('ccj'))) throw new ConsensusError(ConsensusErrorCode.NotMember, `Only members of the ${circle} circle may do this.`);
    return membership;
  }

  private async assertMayTakePart(em: EntityManager, circle: Circle, actor: Actor, at: Date): Promise<void> {
    const membership = await this.assertMember(em, circle, actor);
    if (circle === 'ccj' && accreditationExpired(membership.accreditationExpiresOn as string, at)) {
      throw new ConsensusError(
        ConsensusErrorCode.AccreditationExpired,
        `Your ccj accreditation expired on ${membership.accreditationExpiresOn}: it must be renewed before you take a position on, or execute, a legal decision.`,
        { expiredOn: membership.accreditationExpiresOn },
      );
    }
  }

  private async lockOpen(em: EntityManager, id: string): Promise<ProposalRow> {
    const proposal = await this.find(em, id, true);
    if (proposal.status !== 'open') throw new ConsensusError(ConsensusErrorCode.ProposalClosed, `Proposal ${id} is closed (${proposal.status}).`);
    return proposal;
  }

  private async find(em: EntityManager, id: string, lock = false): Promise<ProposalRow> {
    const proposal = await findProposal(em, id, lock);
    if (!proposal) throw new ConsensusError(ConsensusErrorCode.ProposalNotFound, `No proposal ${id}.`);
    return proposal;
  }

  private circle(name: string): Circle {
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

function bindingRefs(binding: Binding | null): Record<string, string> {
  return binding ? { boundKind: binding.kind, boundId: binding.id } : {};
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

/** Each person's current position, with the ones it replaced, oldest first. */
function positionViews(rows: readonly PositionRow[]): PositionView[] {
  const history = new Map<string, { position: PositionKind; reason: string | null; takenAt: string }[]>();
  for (const row of rows) {
    if (row.current) continue;
    const earlier = history.get(row.accountId) ?? [];
    earlier.push({ position: row.position, reason: row.reason, takenAt: row.takenAt.toISOString() });
    history.set(row.accountId, earlier);
  }
  return rows
    .filter((row) => row.current)
    .map((row) => ({ accountId: row.accountId, name: row.name, position: row.position, reason: row.reason, takenAt: row.takenAt.toISOString(), history: history.get(row.accountId) ?? [] }));
}
