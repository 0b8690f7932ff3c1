/**
 * A legal request's life, as a plain table of what may follow what. No Nest or database imports;
 * the database holds the same list of states (migrations/1764300000000-LegalRequestStatus.ts).
 *
 * received      → under-review  a decision proposal is opened on it
 * under-review  → received      the proposal was rejected (another may be opened)
 * under-review  → decided       comply, contest or refuse was adopted
 * decided       → answered      the answer went to the authority (a disclosure, or the contest or refusal)
 * answered      → closed        nothing more to do; retention counts from here
 */
export const LEGAL_REQUEST_STATUSES = ['received', 'under-review', 'decided', 'answered', 'closed'] as const;
export type LegalRequestStatus = (typeof LEGAL_REQUEST_STATUSES)[number];

export const DECISIONS = ['comply', 'contest', 'refuse'] as const;
export type Decision = (typeof DECISIONS)[number];

const NEXT: Record<LegalRequestStatus, readonly LegalRequestStatus[]> = {
  received: ['under-review'],
  'under-review': ['received', 'decided'],
  decided: ['answered'],
  answered: ['closed'],
  closed: [],
};

export function mayMove(from: LegalRequestStatus, to: LegalRequestStatus): boolean {
  return NEXT[from].includes(to);
}

/** Why a move is refused, naming both states. */
export const cannotMove = (from: LegalRequestStatus, to: LegalRequestStatus): string => `legal request is ${from}; it cannot move to ${to}`;
