import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { CirclesService } from '../consensus/circles.service';
import { ConsensusService } from '../consensus/consensus.service';
import { ClosedBoundProposal, ProposalOutcomes } from '../consensus/proposal-outcomes';
import { NO_INTERCEPTION_STATEMENT } from './legal-request-kinds';
import { insertDecision, latestDecision, readDecision } from './legal-decisions.store';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import { DecisionProposalInput, DecisionProposalView, OpenedDecision } from './legal-requests.schemas';
import { LegalRequestRow } from './legal-requests.store';
import { RequestTransitions } from './request-transitions';

/**
 * The ccj circle's decision on a request: a proposal bound to it, opened with the request under review
 * in one transaction; its outcome (handed over by ProposalOutcomes in the closing transaction) decides
 * the request or sends it back to `received`. The reply to a contest or refusal, and the closing, are
 * marked here too; a comply decision is answered by its disclosure (DisclosuresService).
 */
@Injectable()
export class LegalDecisionsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly consensus: ConsensusService,
    private readonly circles: CirclesService,
    private readonly outcomes: ProposalOutcomes,
    private readonly transitions: RequestTransitions,
  ) {}

  onModuleInit(): void {
    this.outcomes.register('legal-request', (em, closed) => this.decisionClosed(em, closed));
  }

  async propose(requestId: string, input: DecisionProposalInput, actor: Actor): Promise<OpenedDecision> {
    const now = this.clock.now();
    if (input.closesAt && input.closesAt <= now) {
      throw new LegalRequestsError(LegalRequestsErrorCode.ClosesAtNotFuture, `closesAt ${input.closesAt.toISOString()} is not in the future.`, {
        errors: [{ path: 'closesAt', message: 'must be in the future' }],
      });
    }
    return this.dataSource.transaction(async (em) => {
      const request = await this.transitions.lock(em, requestId);
      this.transitions.assertMay(request, 'under-review');
      // Nothing could execute it: the circle may only contest or refuse.
      if (request.kind === 'interception' && input.decision === 'comply') throw new LegalRequestsError(LegalRequestsErrorCode.NoInterceptionCapability, NO_INTERCEPTION_STATEMENT);
      // Checks that the actor is in the ccj circle with a valid accreditation (403 naming its expiry).
      const opened = await this.consensus.openProposal(
        em,
        { ...proposalText(request, input), circle: 'ccj', quorum: input.quorum, blind: input.blind, closesAt: input.closesAt, boundTo: { kind: 'legal-request', id: request.id } },
        actor,
      );
      await insertDecision(em, { proposalId: opened.id, requestId: request.id, decision: input.decision, rationale: input.rationale, openedBy: actor.id, openedAt: now });
      await this.transitions.move(em, request, 'under-review', actor, now, { decision: input.decision, proposalId: opened.id });
      return { id: opened.id, status: 'open', decision: input.decision };
    });
  }

  /** Adopted: the request is decided with the proposal's decision. Rejected: back to received, for another proposal. */
  private async decisionClosed(em: EntityManager, closed: ClosedBoundProposal): Promise<void> {
    const decision = await readDecision(em, closed.proposalId);
    if (!decision) throw new Error(`proposal ${closed.proposalId} is bound to legal request ${closed.binding.id} but decides nothing recorded there`);
    const request = await this.transitions.lock(em, decision.request_id);
    const to = closed.status === 'adopted' ? 'decided' : 'received';
    await this.transitions.move(em, request, to, closed.actor, closed.closedAt, { decision: decision.decision, proposalId: closed.proposalId });
  }

  /** The contest or refusal went to the authority: decided → answered. */
  async answer(requestId: string, actor: Actor): Promise<LegalRequestRow> {
    return this.executing(requestId, actor, async (em, request, now) => {
      if (request.status === 'decided' && request.decision === 'comply') {
        throw new LegalRequestsError(
          LegalRequestsErrorCode.AnsweredByDisclosure,
          'The adopted decision is comply: the answer is the disclosure (POST /legal-requests/{id}/disclosures), which marks the request answered.',
        );
      }
      await this.transitions.move(em, request, 'answered', actor, now);
    });
  }

  /** Nothing more to do: answered → closed; the retention of the request's records counts from here. */
  async close(requestId: string, actor: Actor): Promise<LegalRequestRow> {
    return this.executing(requestId, actor, (em, request, now) => this.transitions.move(em, request, 'closed', actor, now));
  }

  /** The latest decision proposal on the request, with its outcome as the consensus context holds it. */
  async latestView(em: EntityManager, requestId: string): Promise<DecisionProposalView | null> {
    const decision = await latestDecision(em, requestId);
    if (!decision) return null;
    const outcome = await this.consensus.outcome(decision.proposal_id);
    return {
      id: decision.proposal_id,
      decision: decision.decision,
      rationale: decision.rationale,
      status: outcome.status,
      tally: outcome.tally,
      openedAt: decision.opened_at.toISOString(),
      closedAt: outcome.closedAt?.toISOString() ?? null,
    };
  }

  /** Only an accredited ccj member executes a decision; the request locked, then changed, then answered as it is now. */
  private async executing(requestId: string, actor: Actor, change: (em: EntityManager, request: LegalRequestRow, now: Date) => Promise<unknown>): Promise<LegalRequestRow> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (em) => {
      await this.circles.assertMayExecute(actor, now, em);
      await change(em, await this.transitions.lock(em, requestId), now);
      return this.transitions.lock(em, requestId);
    });
  }
}

/** What the circle reads before taking a position: the request and the decision put to it, with its reasons. */
function proposalText(request: LegalRequestRow, input: DecisionProposalInput): { title: string; body: string } {
  const verb = { comply: 'Comply with', contest: 'Contest', refuse: 'Refuse' }[input.decision];
  return {
    // Counted in code points, as the proposals table counts its title.
    title: [...`${verb} legal request ${request.reference}`].slice(0, 200).join(''),
    body: [
      `Request: ${request.kind}, from ${request.authority}, reference ${request.reference}.`,
      `Legal basis: ${request.legal_basis}`,
      `Received: ${request.received_at.toISOString()}${request.due_at ? `; due ${request.due_at.toISOString()}` : ''}.`,
      `Decision proposed: ${input.decision}.`,
      `Rationale: ${input.rationale}`,
    ].join('\n\n'),
  };
}
