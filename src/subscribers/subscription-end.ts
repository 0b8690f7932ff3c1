/**
 * How a subscription ends, one rule whichever route ends it (POST /subscriptions/:id/end, or
 * terminating its member), so that nothing is ever dated in the future:
 * - the end is an instant that has happened (`at`, default now), never a future one;
 * - a subscription that has started ends at that instant, which may not precede its start;
 * - a subscription that has not started yet is cancelled: it never ran, so its period becomes the
 *   empty one at that instant (it starts and ends there), not one that ends in the future.
 * Pure: the caller brings the clock.
 */
export type SubscriptionEnd =
  | { ok: true; startsAt: Date; endsAt: Date; cancelled: boolean }
  | { ok: false; problem: 'date-in-future' | 'end-before-start'; reason: string };

export function subscriptionEnd(startsAt: Date, at: Date, now: Date): SubscriptionEnd {
  if (at > now) return { ok: false, problem: 'date-in-future', reason: `${at.toISOString()} is in the future; record the end once it has happened.` };
  if (startsAt > now) return { ok: true, startsAt: at, endsAt: at, cancelled: true };
  if (at < startsAt) {
    return { ok: false, problem: 'end-before-start', reason: `The end ${at.toISOString()} is before the start ${startsAt.toISOString()}.` };
  }
  return { ok: true, startsAt, endsAt: at, cancelled: false };
}
