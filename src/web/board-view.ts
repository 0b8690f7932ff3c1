/**
 * What the board's pages show of a legal request, as plain functions over the services' answers: which
 * forms the request's state calls for, and the texts of its codes. The rules stay in the services
 * (each action is refused there when its state does not allow it); these only choose what to offer.
 */
import type { ProposalView } from '../consensus/consensus.schemas';
import type { LegalRequestView } from '../legal-requests/legal-requests.schemas';

export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** An instant for people: its ISO form for `<time datetime>`, and a shorter one to read. */
export interface ShownInstant {
  iso: string;
  text: string;
}

export function instant(iso: string): ShownInstant;
export function instant(iso: string | null): ShownInstant | null;
export function instant(iso: string | null): ShownInstant | null {
  if (iso === null) return null;
  const date = new Date(iso);
  const text = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return { iso: date.toISOString(), text };
}

/** What may be done next on the request, by its state and its latest proposal's. */
export interface RequestActions {
  propose: boolean;
  takePosition: boolean;
  closeProposal: boolean;
  disclose: boolean;
  markAnswered: boolean;
  close: boolean;
}

export function requestActions(request: Pick<LegalRequestView, 'status' | 'decision' | 'kind' | 'disclosedAt' | 'decisionProposal'>): RequestActions {
  const open = request.decisionProposal?.status === 'open';
  const decided = request.status === 'decided';
  return {
    propose: request.status === 'received' && !open,
    takePosition: open,
    closeProposal: open,
    disclose: decided && request.decision === 'comply' && request.kind !== 'interception' && request.disclosedAt === null,
    markAnswered: decided && (request.decision === 'contest' || request.decision === 'refuse'),
    close: request.status === 'answered',
  };
}

/** The proposal as the viewer may see it: positions with their texts, the viewer's own, and who has not taken one. */
export function proposalShown(proposal: ProposalView, viewerId: string | null, t: Translate) {
  const mine = proposal.positions.find((position) => position.accountId === viewerId);
  return {
    id: proposal.id,
    status: proposal.status,
    statusText: t(`board.proposalStatus.${proposal.status}`),
    quorum: proposal.quorum,
    blind: proposal.blind,
    closesAt: instant(proposal.closesAt),
    openedAt: instant(proposal.openedAt),
    closedAt: instant(proposal.closedAt),
    tally: proposal.tally,
    positionsHidden: proposal.positionsHidden,
    positions: proposal.positions.map((position) => ({
      name: position.name,
      mine: position.accountId === viewerId,
      positionText: t(`board.positions.${position.position}`),
      reason: position.reason,
      takenAt: instant(position.takenAt),
      history: position.history.map((earlier) => ({ positionText: t(`board.positions.${earlier.position}`), reason: earlier.reason, takenAt: instant(earlier.takenAt) })),
    })),
    undecided: proposal.undecided.map((member) => member.name),
    mine: mine?.position ?? null,
  };
}
