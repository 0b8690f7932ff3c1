import { Injectable, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, readsAsAdmin, SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { PrivilegesService } from '../auth/privileges.service';
import { LedgerService } from '../ledger/ledger.service';
import { JobRegistry } from '../queue/job-registry';
import { Circle, outcomeOf, PositionKind, Tally, tally } from './consensus-rules';
import { ConsensusError, ConsensusErrorCode } from './consensus.errors';
import { ClosedProposal, OpenProposalInput, PositionView, ProposalView, TakePositionInput } from './consensus.schemas';
import {
  currentMembers,
  findProposal,
  insertPosition,
  insertProposal,
  markClosed,
  PositionRow,
  positionsOf,
  ProposalRow,
  supersedePosition,
} from './consensus.store';
import { CircleNotices } from './circle-notices';
import { CirclesService } from './circles.service';
import { ProposalCloser } from './proposal-closer';
import { Binding, ProposalOutcomes } from './proposal-outcomes';

export interface Outcome {
  status: 'open' | 'adopted' | 'rejected';
  tally: Tally | null;
  binding: Binding | null;
  closedAt: Date | null;
}

/**
 * Decisions by consent in a circle (who sits in it: CirclesService). Members of a circle open its
 * proposals, take positions (one current each, every change kept) and close them. Every change is
 * recorded in the ledger in the transaction that makes it.
 */
@Injectable()
export class ConsensusService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly closer: ProposalCloser,
    private readonly jobs: JobRegistry,
    private readonly outcomes: ProposalOutcomes,
    private readonly notices: CircleNotices,
    private readonly circles: CirclesService,
    private readonly privileges: PrivilegesService,
  ) {}

  onModuleInit(): void {
    this.jobs.register('consensus', 'close', z.object({ proposalId: z.uuid() }), ({ proposalId }) => this.closeDue(proposalId));
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
    if (actor.id !== null) await this.circles.assertMayTakePart(em, input.circle, actor, now);
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
      await this.circles.assertMayTakePart(em, proposal.circle, actor, now);
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
      await this.circles.assertMember(em, proposal.circle, actor);
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
    if (!readsAsAdmin(actor)) await this.circles.assertMember(em, proposal.circle, actor);
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

}

function bindingRefs(binding: Binding | null): Record<string, string> {
  return binding ? { boundKind: binding.kind, boundId: binding.id } : {};
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
