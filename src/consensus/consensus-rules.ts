/** The closing rule and the accreditation rule, as plain functions. No Nest or database imports. */

export const CIRCLES = ['ccj', 'board'] as const;
export type Circle = (typeof CIRCLES)[number];

/** Accounts that may sit in a circle: staff, not the self-service accounts of members (and the ccj circle takes only the ccj role). */
export const CIRCLE_ROLES = ['admin', 'technician', 'ccj'] as const;

export const POSITIONS = ['consent', 'concern', 'stand-aside', 'block'] as const;
export type PositionKind = (typeof POSITIONS)[number];

/** Positions that must say why: a concern is heard, a block is argued. */
export const NEEDS_REASON: ReadonlySet<PositionKind> = new Set(['concern', 'block']);

export interface Tally {
  consent: number;
  concern: number;
  standAside: number;
  block: number;
}

export function tally(current: readonly PositionKind[]): Tally {
  const counts: Tally = { consent: 0, concern: 0, standAside: 0, block: 0 };
  for (const position of current) counts[position === 'stand-aside' ? 'standAside' : position] += 1;
  return counts;
}

/** Adopted when consents reach the quorum and no block stands; anything else is rejected. */
export function outcomeOf(counts: Tally, quorum: number): 'adopted' | 'rejected' {
  return counts.consent >= quorum && counts.block === 0 ? 'adopted' : 'rejected';
}

/** A calendar date (YYYY-MM-DD) of the accreditation's expiry: valid through that whole day, UTC. */
export function accreditationExpired(expiresOn: string, at: Date): boolean {
  return at.toISOString().slice(0, 10) > expiresOn;
}
