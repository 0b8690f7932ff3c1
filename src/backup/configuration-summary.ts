import { createPublicKey } from 'node:crypto';
import { AppConfig, KeyMaterial } from '../config/config';
import { encodePublicKey } from '../ledger/checkpoint';

/**
 * What an archive says about the instance's configuration, to bring it up alike elsewhere: settings
 * and where things go, never a secret. Listed field by field (nothing copied wholesale), so a secret
 * added to the configuration later stays out until someone decides otherwise. URLs lose any user
 * and password; the database's and Redis's are left out (they are the old machine's).
 */
export function configurationSummary(config: AppConfig, keys: Pick<KeyMaterial, 'signingKey'>) {
  const transport = (setting: AppConfig['outbox']['transports']['sms']) => {
    switch (setting.kind) {
      case 'file':
        return { kind: setting.kind, dir: setting.dir };
      case 'sms-gateway':
      case 'webhook':
        return { kind: setting.kind, url: withoutCredentials(setting.url) };
      case 'smtp':
        return { kind: setting.kind, url: withoutCredentials(setting.url), from: setting.from };
      default:
        return { kind: setting.kind };
    }
  };
  return {
    mode: config.mode,
    jurisdiction: config.jurisdiction,
    association: config.association,
    /** The ledger's public key: what members pin, and what a restore checks the archive against. */
    ledgerPublicKey: encodePublicKey(createPublicKey(keys.signingKey)),
    checkpointIntervalSeconds: config.checkpointIntervalSeconds,
    queuePrefix: config.queuePrefix,
    outbox: {
      transports: { sms: transport(config.outbox.transports.sms), email: transport(config.outbox.transports.email), postal: transport(config.outbox.transports.postal) },
      attempts: config.outbox.attempts,
      backoffMs: config.outbox.backoffMs,
    },
    provisioningFeedDays: config.provisioningFeedDays,
    webhook: config.webhook && { url: withoutCredentials(config.webhook.url), attempts: config.webhook.attempts, backoffMs: config.webhook.backoffMs, timeoutMs: config.webhook.timeoutMs },
    dns: config.dns,
    tunnels: {
      wireguard: config.tunnels.wireguard,
      openvpn: {
        remote: config.tunnels.openvpn.remote,
        /** The CA's certificate is public; its private key is a secret and stays out. */
        caCertificate: config.tunnels.openvpn.ca?.certificate,
        certificateDays: config.tunnels.openvpn.certificateDays,
      },
    },
    /** Recipients are public keys; the identities that decrypt are secrets and stay out. */
    backup: { recipients: config.backup.recipients, schedule: config.backup.schedule },
  };
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}
