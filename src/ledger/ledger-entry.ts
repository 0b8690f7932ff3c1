/**
 * What a ledger entry says, and the leaf bytes it becomes. No Nest or database imports.
 */
import type { Actor } from '../common/access';
import { canonicalJson } from './canonical-json';
import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { commitPersonalValue, newCommitmentSalt } from './personal-commitment';

/** The sensitive actions of every context (docs/ledger.md); a context adds its own here. */
export const LEDGER_ACTIONS = [
  'account.created', // an account and the bearer token issued with it
  'account.roles-changed',
  'account.token-issued',
  'account.revoked',
  'account.contact-changed', // which of e-mail and language changed, never the address
  'account.session-opened', // a page session, by token exchange or a member's sign-in link
  'account.sessions-ended', // signed out everywhere
  'account.sign-in-link-sent',
  'account.privilege-changed', // admin or ccj granted or removed by the system, executing an adopted board proposal (its id in refs)
  'governance.bootstrap-ended', // the first adopted board proposal: from now on only the board grants privileges
  'privilege.proposed', // a board proposal to grant or remove admin, ccj or a board seat (the rationale is the proposal's body)
  'privilege.not-applied', // an adopted one that could no longer be executed (the account was revoked, the last admin...)
  'identity.read',
  'identity.disclosed',
  'ip-history.looked-up',
  'configuration.changed',
  'ledger.personal-values.read',
  'verification.started', // a code sent by SMS or letter (ids and the method only)
  'verification.resent',
  'verification.confirmed', // the verified contact sealed in the vault
  'verification.locked', // five wrong codes
  'verification.letter-printed', // a technician printed a pending letter (and so read its address)
  'master-key.rotated', // every data key re-wrapped under a new master key (fingerprints only)
  'retention.ran', // the counts per category and the policies they were purged under
  'retention.policy-changed',
  'rectification.proposed', // a member asks to correct a field (the value and note as personal values only)
  'rectification.accepted', // a technician applied it
  'rectification.refused', // with the reason as a personal value
  'legal-request.received', // a request of the justice system recorded (ids and kind only)
  'legal-request.document-attached', // an authority's document sealed under the request key
  'legal-request.document-read', // a document decrypted for whoever decides or executes
  'legal-request.status-changed', // received → under-review → decided → answered → closed (or back to received), with the decision and proposal
  'legal-request.disclosed', // the answer to a comply decision: counts of matches, under the request's legal basis; the answer PDF cites its index
  'legal-request.answer-printed', // the answer PDF, which holds what was disclosed, was printed
  'legal-request.gag-lifted', // a member concerned may now know of the request (subject: them); they are told by e-mail
  'legal-request.due-at-changed', // the authority moved the deadline (from, to)
  'legal-request.reminder-sent', // the ccj circle reminded of a deadline near or passed (kind, how many told)
  'legal-request.compensation-set', // the fee claimed from the authority and its status (the note as a personal value)
  'circle.member-added', // with the accreditation of a ccj member (dates and authority)
  'circle.member-left',
  'circle.accreditation-renewed', // the membership with the old accreditation ends, one with the new begins
  'proposal.opened',
  'proposal.position-taken', // a first position or a changed one (the previous one is in refs)
  'proposal.closed', // with its tally
  'canary.issued', // the warrant canary signed by the ledger key (ids, instants and the statement's hash)
  'canary.not-issued', // adopted after the renewal date it proposed: not issued
  'backup.written', // an encrypted archive: its size, the tree size of its checkpoint, the dump's format; never a path or a value
] as const;
export type LedgerAction = (typeof LEDGER_ACTIONS)[number];

/**
 * What a purpose is about, from a closed list: in the leaf in clear, so the log stays accountable (and
 * countable) after retention has erased the purpose typed with it.
 */
export const PURPOSE_CATEGORIES = ['support', 'troubleshooting', 'legal-request', 'member-request', 'audit', 'other'] as const;
export type PurposeCategory = (typeof PURPOSE_CATEGORIES)[number];

/** The name under which a typed purpose is held beside the leaf, with the entry's other personal values. */
export const PURPOSE_VALUE = 'purpose';

/** Reads of personal data: whoever asks must say why, and the member concerned will see it. */
const NEEDS_PURPOSE: ReadonlySet<LedgerAction> = new Set(['identity.read', 'ip-history.looked-up', 'ledger.personal-values.read']);
/** The legal path: a disclosure names the legal basis it was made under. */
const NEEDS_LEGAL_BASIS: ReadonlySet<LedgerAction> = new Set(['identity.disclosed']);

export type LedgerRef = string | number | boolean | null | readonly string[];

export interface LedgerEntry {
  actor: Pick<Actor, 'id' | 'role'>;
  action: LedgerAction;
  /** The subscriber the action concerns: it appears in their access log. */
  subject?: string;
  /**
   * Why, as typed by a person: it may hold anything (a phone number, a name), so it is a personal
   * value: only its salted commitment enters the leaf, and retention can erase it.
   */
  purpose?: string;
  /** In the leaf in clear; `other` when a purpose comes without one. */
  purposeCategory?: PurposeCategory;
  legalBasis?: string;
  /** Ids and non-personal details (roles, counts); readable by whoever may read entries. */
  refs?: Record<string, LedgerRef>;
  /** Personal values (a name, a phone number): only their salted commitments enter the leaf. */
  personal?: Record<string, string>;
}

/** A defect of the calling code rather than of a request, but refused all the same. */
export function assertJustified(entry: LedgerEntry): void {
  if (NEEDS_PURPOSE.has(entry.action) && !entry.purpose?.trim()) {
    throw new LedgerError(LedgerErrorCode.PurposeRequired, `${entry.action} needs a purpose.`);
  }
  if (NEEDS_LEGAL_BASIS.has(entry.action) && !entry.legalBasis?.trim()) {
    throw new LedgerError(LedgerErrorCode.LegalBasisRequired, `${entry.action} needs the legal basis it was made under.`);
  }
}

export interface EncodedEntry {
  leaf: Buffer;
  /** What to keep beside the leaf, erasable: each value with the salt of its commitment. */
  personal: { name: string; salt: Buffer; value: string }[];
}

/**
 * The leaf: canonical JSON of `{index, at, actor: {id, role}, action, subject?, purposeCategory?,
 * legalBasis?, refs, personal}`, where `personal` maps each name to SHA-256(salt ‖ value) under a fresh
 * salt; the purpose is one of them (`personal.purpose`). Leaves written before purposes were personal
 * values carry `purpose` in clear instead: they stay as they are, and verify as they are.
 */
export function encodeEntry(index: number, at: Date, entry: LedgerEntry): EncodedEntry {
  if (entry.personal && PURPOSE_VALUE in entry.personal) throw new Error(`"${PURPOSE_VALUE}" is the entry's purpose, not one of its personal values`);
  try {
    const values = { ...entry.personal, ...(entry.purpose !== undefined ? { [PURPOSE_VALUE]: entry.purpose } : {}) };
    const personal = Object.entries(values).map(([name, value]) => ({ name, salt: newCommitmentSalt(), value }));
    const commitments = Object.fromEntries(personal.map(({ name, salt, value }) => [name, commitPersonalValue(salt, value)]));
    const leaf = canonicalJson({
      index,
      at: at.toISOString(),
      actor: { id: entry.actor.id, role: entry.actor.role },
      action: entry.action,
      subject: entry.subject,
      purposeCategory: entry.purposeCategory ?? (entry.purpose !== undefined ? 'other' : undefined),
      legalBasis: entry.legalBasis,
      refs: entry.refs ?? {},
      personal: commitments,
    });
    return { leaf, personal };
  } catch (error) {
    // Lone surrogates (from a JSON body's "\ud800") have no UTF-8 form; the messages name paths, never values.
    if (error instanceof TypeError) throw new LedgerError(LedgerErrorCode.EntryNotEncodable, `The entry cannot be recorded: ${error.message}.`);
    throw error;
  }
}
