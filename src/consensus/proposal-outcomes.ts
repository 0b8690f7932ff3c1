import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/access';
import { NamedRegistry } from '../common/named-registry';
import type { Tally } from './consensus-rules';

/** What a proposal can be bound to, each kind owned by the context that opens such proposals. */
export const BINDING_KINDS = [
  /** legal-requests: comply / contest / refuse a request of the justice system. */
  'legal-request',
  /** canary: issue the warrant canary whose statement is the proposal's body. */
  'canary',
  /** governance: grant or remove admin, ccj or a board seat. */
  'privilege',
] as const;
export type BindingKind = (typeof BINDING_KINDS)[number];

export interface Binding {
  kind: BindingKind;
  id: string;
}

/** A bound proposal as it closes, handed to the context that owns its binding. */
export interface ClosedBoundProposal {
  proposalId: string;
  binding: Binding;
  status: 'adopted' | 'rejected';
  tally: Tally;
  closedAt: Date;
  /** Who closed it: a circle member, or the system at `closesAt`. */
  actor: Actor;
}

/**
 * Runs in the closing transaction: what the decision sets in motion (a request becoming `decided`,
 * a role granted) commits with the tally or not at all.
 */
export type ProposalOutcomeHandler = (em: EntityManager, closed: ClosedBoundProposal) => Promise<void>;

/** One handler per binding kind; start-up fails when a kind has none. */
@Injectable()
export class ProposalOutcomes implements OnApplicationBootstrap {
  readonly registry = new NamedRegistry<BindingKind, ProposalOutcomeHandler>('Proposal outcome handler', BINDING_KINDS);

  register(kind: BindingKind, handler: ProposalOutcomeHandler): void {
    this.registry.register(kind, handler);
  }

  async closed(em: EntityManager, closed: ClosedBoundProposal): Promise<void> {
    await this.registry.get(closed.binding.kind)(em, closed);
  }

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }
}
