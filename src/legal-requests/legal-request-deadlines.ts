/**
 * When the ccj circle is reminded of a request's deadline, as plain functions. No Nest or database
 * imports; the sweep's SQL asks the same question of many requests at once
 * (legal-request-deadlines.store.ts), and each reminder is decided again here, on the locked row.
 */
import type { LegalRequestStatus } from './legal-request-status';

export const REMINDER_KINDS = ['due-soon', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** How long before its deadline the circle hears of a request still to answer. */
export const DUE_SOON_BEFORE_MS = 3 * 24 * 60 * 60 * 1000;

/** Once the answer went to the authority, its deadline no longer matters: no reminder, no new deadline. */
export const ANSWERED_STATUSES: readonly LegalRequestStatus[] = ['answered', 'closed'];

export function isAnswered(status: LegalRequestStatus): boolean {
  return ANSWERED_STATUSES.includes(status);
}

/**
 * The reminder a request calls for at `now`: overdue from its deadline on, due-soon in the three
 * days before it (at once for a deadline already that close when it is set), none otherwise. A
 * deadline found passed is only overdue: telling that it is near would come too late.
 */
export function reminderDue(request: { status: LegalRequestStatus; dueAt: Date | null }, now: Date): ReminderKind | null {
  if (request.dueAt === null || isAnswered(request.status)) return null;
  if (now.getTime() >= request.dueAt.getTime()) return 'overdue';
  if (now.getTime() >= request.dueAt.getTime() - DUE_SOON_BEFORE_MS) return 'due-soon';
  return null;
}
