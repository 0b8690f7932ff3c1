/**
 * What a router receives for one change, signed as Standard Webhooks asks
 * (https://www.standardwebhooks.com): a `{type, timestamp, data}` JSON body, and a message id
 * that stays the same across retries so the receiver can drop a duplicate. Pure.
 */
import type { ProvisioningChangeKind } from './provisioning-change';

export interface RecordedChange {
  seq: string;
  kind: ProvisioningChangeKind;
  subscriptionId: string;
  details: Record<string, string | null>;
  at: Date;
}

export interface WebhookMessage {
  id: string;
  body: string;
}

export function webhookMessage(change: RecordedChange): WebhookMessage {
  return {
    id: `change-${change.seq}`,
    body: JSON.stringify({
      type: change.kind,
      timestamp: change.at.toISOString(),
      data: { seq: Number(change.seq), subscriptionId: change.subscriptionId, details: change.details },
    }),
  };
}
