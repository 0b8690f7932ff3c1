/**
 * The data categories that have a retention deadline (DESIGN: Retention). Each is purged by the
 * context that holds it, through the purger it registers in `RetentionPurgers`.
 */
export const RETENTION_CATEGORIES = [
  /** IPAM: an assignment, counted from its `validUntil`. */
  'ip-history',
  /** Identity: the sealed legal name and verified contact, counted from the subscriber's termination. */
  'identity',
  /** Subscribers: the operational record (display name, e-mail), counted from termination. */
  'subscription-data',
  /** Identity: a verification never confirmed, at its expiry. */
  'unconfirmed-verifications',
] as const;

export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];
