/**
 * The data categories that have a retention deadline (DESIGN: Retention). Each is purged by the
 * context that holds it, through the purger it registers in `RetentionPurgers`; a
 * context adds its own categories here as it comes (and each jurisdiction profile, in profiles/,
 * gives it a figure with its source: start-up checks it).
 */
export const RETENTION_CATEGORIES = [
  /** IPAM: an assignment, counted from its `validUntil`. */
  'ip-history',
  /** Subscribers: the operational record (display name, e-mail), counted from termination. */
  'subscription-data',
  /** Identity: the sealed legal name and verified contact, counted from termination (crypto-shredded). */
  'identity',
  /** Identity: verifications never confirmed, counted from their expiry. */
  'unconfirmed-verifications',
  /** Legal requests: a closed request and everything of it, counted from its closing (never while open or gagged). */
  'legal-requests',
  /**
   * Governance: the key of a member's pseudonym in the public view of admin actions, counted from
   * termination like the identity (each profile gives it the identity's figure), so that once the
   * identity is gone the pseudonym can no longer be linked to the member either.
   */
  'admin-action-pseudonyms',
] as const;

export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];

export function isRetentionCategory(name: string): name is RetentionCategory {
  return (RETENTION_CATEGORIES as readonly string[]).includes(name);
}
