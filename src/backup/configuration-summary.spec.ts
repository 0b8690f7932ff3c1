import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { associationEnvironment } from '../../tests/support/tunnel-association';
import { loadConfig } from '../config/config';
import { configurationSummary } from './configuration-summary';

describe('configuration summary', () => {
  it('keeps settings and public keys, and no secret of the environment', async () => {
    const association = await associationEnvironment();
    const secrets = {
      LANTERNE_MASTER_KEY: randomBytes(32).toString('base64'),
      LANTERNE_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
      LANTERNE_BOOTSTRAP_TOKEN: 'bootstrap-token-0123456789',
      LANTERNE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
      LANTERNE_SMS_GATEWAY_PASSWORD: 'gateway-password',
      LANTERNE_SMS_WEBHOOK_TOKEN: 'sms-webhook-token',
      LANTERNE_BACKUP_IDENTITY: 'AGE-SECRET-KEY-15RKJ6P389KDEPY433U38W3M094DD67SU68K335UNCC50W82KZ95SQA3DZE',
    };
    const env = {
      ...association.env,
      ...secrets,
      DATABASE_URL: 'postgres://lanterne:db-password@db.internal:5432/lanterne',
      REDIS_URL: 'redis://:redis-password@redis.internal:6379',
      LANTERNE_OUTBOX_SMS: 'webhook',
      LANTERNE_SMS_WEBHOOK_URL: 'https://sms.example.org/send',
      LANTERNE_OUTBOX_EMAIL: 'smtp',
      LANTERNE_SMTP_URL: 'smtp://mailer:smtp-password@mail.example.org:587',
      LANTERNE_MAIL_FROM: 'Lanterne <board@example.org>',
      LANTERNE_WEBHOOK_URL: 'https://router.example.org/hook',
      LANTERNE_BACKUP_RECIPIENTS: 'age1y044hprc47pqvym6wfr8yg0xze2lxk7utslak46rdcynr83mrp6q34swz0',
      LANTERNE_BACKUP_DIR: '/var/backups/lanterne',
    };
    const config = loadConfig(env);
    const text = JSON.stringify(configurationSummary(config, { signingKey: config.keys.signingKey as never }));
    for (const secret of [...Object.values(secrets), association.ca.keyPem, 'db-password', 'redis-password', 'smtp-password', 'PRIVATE KEY']) expect(text).not.toContain(secret);
    expect(text).not.toContain(config.keys.masterKey?.toString('hex'));
    expect(text).not.toContain((config.keys.signingKey?.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64'));
    const summary = JSON.parse(text);
    expect(summary).toMatchObject({
      mode: 'production',
      outbox: { transports: { sms: { kind: 'webhook', url: 'https://sms.example.org/send' }, email: { kind: 'smtp', url: 'smtp://mail.example.org:587', from: 'Lanterne <board@example.org>' } } },
      webhook: { url: 'https://router.example.org/hook' },
      backup: { recipients: [env.LANTERNE_BACKUP_RECIPIENTS], schedule: { dir: '/var/backups/lanterne', everyHours: 24, keep: 7 } },
    });
    expect(summary.tunnels.openvpn.caCertificate).toContain('BEGIN CERTIFICATE');
    expect(typeof summary.ledgerPublicKey).toBe('string');
  });
});
