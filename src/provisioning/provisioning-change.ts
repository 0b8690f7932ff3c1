/**
 * What the routers must learn: every change to what a subscription holds or how it is reached. The
 * change feed (`GET /provisioning/changes?since=`) and the signed webhooks carry these, ids and
 * network values only (addresses, prefixes, PTR names, public keys), never a member's identity.
 */
export const PROVISIONING_CHANGE_KINDS = ['assignment.created', 'assignment.released', 'ptr.changed', 'peer.changed'] as const;
export type ProvisioningChangeKind = (typeof PROVISIONING_CHANGE_KINDS)[number];

export interface ProvisioningChange {
  kind: ProvisioningChangeKind;
  subscriptionId: string;
  /** e.g. `{assignmentId, prefix}`, `{assignmentId, ptr}` or `{peerType, publicKey}`; null when cleared. */
  details: Record<string, string | null>;
}
