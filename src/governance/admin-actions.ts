/**
 * The public view of a ledger entry of an admin action, and the pseudonyms of its subjects. No Nest or
 * database imports.
 *
 * Shown: index, time, role, action, the subject's pseudonym, the purpose's category, the refs of the
 * action's allowlist, and the leaf hash. Never shown: the actor's id, the subject's id, personal values
 * (only their commitments are in the leaf, and not even those are shown), a typed purpose, a legal
 * basis, and every ref off the allowlist (account and member ids, accreditation authorities...).
 */
import { createHmac } from 'node:crypto';
import type { LedgerAction, LedgerRef } from '../ledger/ledger-entry';
import type { AdminActionView } from './governance.schemas';

/**
 * The refs each action shows publicly: ids of proposals (which carry no personal data), roles, circles,
 * counts, policies. `name.*` admits every ref under `name.`. An action absent here shows no refs, so
 * a new action shows none until someone decides otherwise.
 */
export const PUBLIC_REFS: Partial<Record<LedgerAction, readonly string[]>> = {
  'account.created': ['roles'],
  'account.roles-changed': ['from', 'to'],
  'account.privilege-changed': ['role', 'change', 'proposalId', 'from', 'to', 'revoked'],
  'governance.bootstrap-ended': ['proposalId'],
  'privilege.proposed': ['proposalId', 'role', 'change'],
  'privilege.not-applied': ['proposalId', 'role', 'change', 'reason'],
  'circle.member-added': ['circle', 'proposalId'],
  'circle.member-left': ['circle', 'proposalId'],
  'circle.accreditation-renewed': ['circle'],
  'proposal.opened': ['proposalId', 'circle', 'quorum', 'blind', 'closesAt', 'boundKind'],
  'proposal.position-taken': ['proposalId', 'circle', 'position', 'previous'],
  'proposal.closed': ['proposalId', 'circle', 'status', 'quorum', 'consent', 'concern', 'standAside', 'block', 'boundKind'],
  'retention.ran': ['at', 'purged.*', 'keepDays.*', 'erasedSubjects', 'erasedLedgerValues'],
  'retention.policy-changed': ['category', 'days', 'previousDays', 'profileDays', 'jurisdiction'],
  'legal-request.received': ['kind'],
};

/**
 * Actions of the legal path whose subject is not shown even as a pseudonym: a pseudonym seen on a
 * disclosure would let anyone watching follow the member it was disclosed about to every later action
 * concerning them, under a gag or not.
 */
const SUBJECT_WITHHELD: ReadonlySet<string> = new Set<LedgerAction>(['identity.disclosed']);

const PUBLIC_ROLES = ['admin', 'ccj', 'observer', 'system'] as const;

/** What an entry's leaf holds, as far as this view reads it. */
interface ParsedLeaf {
  index: number;
  at: string;
  actor: { role: string };
  action: string;
  subject?: string;
  purposeCategory?: AdminActionView['purposeCategory'];
  refs?: Record<string, LedgerRef>;
}

/** 128 bits of HMAC-SHA256(key, subject id): unlinkable to the subject without the key. */
export function pseudonym(key: Buffer, subjectId: string): string {
  return createHmac('sha256', key).update(subjectId.toLowerCase(), 'utf8').digest('hex').slice(0, 32);
}

export function publicRefs(action: string, refs: Record<string, LedgerRef>): Record<string, LedgerRef> {
  const allowed = PUBLIC_REFS[action as LedgerAction] ?? [];
  const admits = (name: string) => allowed.some((rule) => (rule.endsWith('.*') ? name.startsWith(rule.slice(0, -1)) : name === rule));
  return Object.fromEntries(Object.entries(refs).filter(([name]) => admits(name)));
}

export function subjectOf(leafText: string): string | undefined {
  const leaf = JSON.parse(leafText) as ParsedLeaf;
  return leaf.subject && !SUBJECT_WITHHELD.has(leaf.action) ? leaf.subject : undefined;
}

/**
 * The public view of one leaf; `pseudonyms` maps each subject to its pseudonym, or to null once its key
 * was forgotten.
 */
export function publicAdminAction(leafText: string, leafHash: string, pseudonyms: ReadonlyMap<string, string | null>): AdminActionView {
  const leaf = JSON.parse(leafText) as ParsedLeaf;
  const subject = subjectOf(leafText);
  const role = leaf.actor.role as AdminActionView['role'];
  if (!(PUBLIC_ROLES as readonly string[]).includes(role)) throw new Error(`entry ${leaf.index} was not taken under a public role`);
  return {
    index: leaf.index,
    at: leaf.at,
    role,
    action: leaf.action,
    ...(subject ? { subject: { pseudonym: pseudonyms.get(subject) ?? null } } : {}),
    ...(leaf.purposeCategory ? { purposeCategory: leaf.purposeCategory } : {}),
    refs: publicRefs(leaf.action, leaf.refs ?? {}),
    leafHash,
  };
}
