import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { Page, Pagination } from '../common/pagination';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { ConsensusService } from '../consensus/consensus.service';
import { ClosedBoundProposal, ProposalOutcomes } from '../consensus/proposal-outcomes';
import { LedgerService } from '../ledger/ledger.service';
import { canaryStatus } from './canary-lapse';
import { canaryText, signCanary, statementHash } from './canary-signature';
import { CanaryError, CanaryErrorCode } from './canary.errors';
import { CanaryView, EarlierCanary, ProposeCanaryInput, ProposedCanary } from './canary.schemas';
import { decideCanary, insertCanary, IssuedCanaryRow, issuedCanaries, issueCanary, lockCanary } from './canary.store';

/**
 * The warrant canary: a statement the ccj circle adopts by consent, signed by the ledger key when
 * the proposal is adopted, in the closing transaction. The latest issued canary is the one shown;
 * once its renewal date has passed it reads as lapsed until another is adopted, and nothing else
 * ever changes it.
 */
@Injectable()
export class CanaryService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
    private readonly clock: Clock,
    private readonly consensus: ConsensusService,
    private readonly outcomes: ProposalOutcomes,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.outcomes.register('canary', (em, closed) => this.proposalClosed(em, closed));
  }

  /** Opens the ccj proposal whose body is the statement; only a member of the circle may. */
  async propose(input: ProposeCanaryInput, actor: Actor): Promise<ProposedCanary> {
    const now = this.clock.now();
    if (input.renewBy.getTime() <= now.getTime()) {
      throw new CanaryError(CanaryErrorCode.RenewByPast, 'renewBy must be in the future.', { errors: [{ path: 'renewBy', message: 'must be in the future' }] });
    }
    return this.dataSource.transaction(async (em) => {
      const id = randomUUID();
      const proposal = await this.consensus.openProposal(em, { title: 'Warrant canary', body: input.statement, circle: 'ccj', boundTo: { kind: 'canary', id } }, actor);
      await insertCanary(em, { id, proposalId: proposal.id, statement: input.statement, renewBy: input.renewBy, proposedBy: actor.id, proposedAt: now });
      return { proposalId: proposal.id, status: 'open' };
    });
  }

  async current(): Promise<CanaryView> {
    const { rows } = await issuedCanaries(this.dataSource.manager, 1, 0);
    if (rows.length === 0) throw new CanaryError(CanaryErrorCode.NoCanary, 'No warrant canary has been issued.');
    return { ...signedView(rows[0]), status: canaryStatus(rows[0].renew_by, this.clock.now()) };
  }

  /** Every canary issued before the current one, latest first. */
  async history(page: Pagination): Promise<Page<EarlierCanary>> {
    const { rows, total } = await issuedCanaries(this.dataSource.manager, page.limit, page.offset + 1);
    return { items: rows.map(signedView), total: Math.max(0, total - 1), limit: page.limit, offset: page.offset };
  }

  /**
   * Adopted: issued at the adoption instant, unless its renewal date is already past then (an
   * adopted canary that would be born lapsed is not issued: the circle proposes another). Rejected:
   * nothing is issued.
   */
  private async proposalClosed(em: EntityManager, closed: ClosedBoundProposal): Promise<void> {
    const canary = await lockCanary(em, closed.binding.id);
    if (!canary) throw new Error(`proposal ${closed.proposalId} is bound to canary ${closed.binding.id}, which does not exist`);
    if (closed.status === 'rejected') return decideCanary(em, canary.id, 'rejected');
    const refs = { canaryId: canary.id, proposalId: closed.proposalId, renewBy: canary.renew_by.toISOString(), statementSha256: statementHash(canary.statement) };
    if (canary.renew_by.getTime() <= closed.closedAt.getTime()) {
      await decideCanary(em, canary.id, 'not-issued');
      await this.ledger.record(em, { actor: closed.actor, action: 'canary.not-issued', refs: { ...refs, adoptedAt: closed.closedAt.toISOString() } });
      return;
    }
    const signed = signCanary(this.keys.signingKey, { statement: canary.statement, issuedAt: closed.closedAt, renewBy: canary.renew_by });
    await issueCanary(em, canary.id, { issuedAt: closed.closedAt, signature: signed.signature, publicKey: signed.publicKey });
    await this.ledger.record(em, { actor: closed.actor, action: 'canary.issued', refs: { ...refs, issuedAt: signed.issuedAt, signature: signed.signature } });
  }
}

function signedView(row: IssuedCanaryRow): EarlierCanary {
  const issuedAt = row.issued_at.toISOString();
  const renewBy = row.renew_by.toISOString();
  return { statement: row.statement, issuedAt, renewBy, proposalId: row.proposal_id, signature: row.signature, publicKey: row.public_key, signedText: canaryText(issuedAt, renewBy, row.statement) };
}
