/**
 * What may withhold an entry from its subject's access log, each kind registered by the context that
 * decides until when (a legal request's gag: legal-requests). The ledger imports none of them.
 */
export const SUBJECT_HOLD_KINDS = ['legal-request'] as const;
export type SubjectHoldKind = (typeof SUBJECT_HOLD_KINDS)[number];

export interface SubjectHold {
  kind: SubjectHoldKind;
  /** The id of what holds the entry back (a legal request's id). */
  id: string;
}
