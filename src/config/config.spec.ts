import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { associationEnvironment, makeCa } from '../../tests/support/tunnel-association';
import { ConfigurationError, loadConfig } from './config';

const production = () => ({
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lanterne',
  REDIS_URL: 'redis://127.0.0.1:6379',
  LANTERNE_MASTER_KEY: randomBytes(32).toString('base64'),
  LANTERNE_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});

const failure = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
};

describe('loadConfig', () => {
  it('defaults to the embedded mode with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: 'embedded', port: 3000, dataDir: './data', role: 'all', jurisdiction: 'be' });
    expect(config.outbox.transports).toEqual({ sms: { kind: 'log' }, email: { kind: 'log' }, postal: { kind: 'log' } });
    expect(config.keys).toEqual({ masterKey: undefined, signingKey: undefined });
  });

  it('is in production mode with DATABASE_URL and REDIS_URL and keys', () => {
    const config = loadConfig({ ...production(), LANTERNE_ROLE: 'worker', LANTERNE_OUTBOX: 'file:/var/spool/lanterne' });
    expect(config).toMatchObject({ mode: 'production', role: 'worker' });
    expect(config.outbox.transports.postal).toEqual({ kind: 'file', dir: '/var/spool/lanterne' });
    expect(config.keys.masterKey).toHaveLength(32);
    expect(config.keys.signingKey?.asymmetricKeyType).toBe('ed25519');
  });

  it('sends each channel through LANTERNE_OUTBOX unless the channel names its own transport', () => {
    const config = loadConfig({
      LANTERNE_OUTBOX: 'file:/var/spool/lanterne',
      LANTERNE_OUTBOX_SMS: 'webhook',
      LANTERNE_SMS_WEBHOOK_URL: 'https://sms.example/send',
      LANTERNE_SMS_WEBHOOK_TOKEN: 'secret',
      LANTERNE_OUTBOX_EMAIL: 'smtp',
      LANTERNE_SMTP_URL: 'smtps://user:pass@mail.example.org',
      LANTERNE_MAIL_FROM: 'Lanterne <lanterne@example.org>',
      LANTERNE_ASSOCIATION_NAME: 'Réseau Libre',
      LANTERNE_ASSOCIATION_ADDRESS: 'Rue Haute 1 | 1000 Bruxelles',
    });
    expect(config.outbox.transports).toEqual({
      sms: { kind: 'webhook', url: 'https://sms.example/send', token: 'secret' },
      email: { kind: 'smtp', url: 'smtps://user:pass@mail.example.org', from: 'Lanterne <lanterne@example.org>' },
      postal: { kind: 'file', dir: '/var/spool/lanterne' },
    });
    expect(config.association).toEqual({ name: 'Réseau Libre', addressLines: ['Rue Haute 1', '1000 Bruxelles'] });
  });

  it('reads the SMS Gateway for Android settings when SMS go through the phone', () => {
    const config = loadConfig({ LANTERNE_OUTBOX_SMS: 'sms-gateway', LANTERNE_SMS_GATEWAY_URL: 'http://192.168.1.20:8080', LANTERNE_SMS_GATEWAY_USERNAME: 'sms', LANTERNE_SMS_GATEWAY_PASSWORD: 'pw' });
    expect(config.outbox.transports.sms).toEqual({ kind: 'sms-gateway', url: 'http://192.168.1.20:8080', username: 'sms', password: 'pw' });
    expect(config.outbox.transports.email).toEqual({ kind: 'log' });
  });

  it.each([
    [undefined, 'loopback'],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['172.16.0.0/12, loopback', '172.16.0.0/12, loopback'],
  ])('reads LANTERNE_TRUST_PROXY %s as Express trust proxy %s', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { LANTERNE_TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('reads keys from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanterne-keys-'));
    const { LANTERNE_MASTER_KEY, LANTERNE_SIGNING_KEY, ...rest } = production();
    writeFileSync(join(dir, 'master'), `${LANTERNE_MASTER_KEY}\n`);
    writeFileSync(join(dir, 'signing'), LANTERNE_SIGNING_KEY);
    const config = loadConfig({ ...rest, LANTERNE_MASTER_KEY_FILE: join(dir, 'master'), LANTERNE_SIGNING_KEY_FILE: join(dir, 'signing') });
    expect(config.keys.masterKey?.toString('base64')).toBe(LANTERNE_MASTER_KEY);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x', REDIS_URL: 'redis://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://localhost/x' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://localhost' }, 'DATABASE_URL'],
    [{ LANTERNE_ROLE: 'everything' }, 'LANTERNE_ROLE'],
    [{ LANTERNE_OUTBOX: 'smtp' }, 'LANTERNE_OUTBOX'],
    [{ LANTERNE_OUTBOX_POSTAL: 'smtp' }, 'LANTERNE_OUTBOX_POSTAL'],
    [{ LANTERNE_OUTBOX_EMAIL: 'webhook' }, 'LANTERNE_OUTBOX_EMAIL'],
    [{ LANTERNE_OUTBOX_SMS: 'smtp' }, 'LANTERNE_OUTBOX_SMS'],
    [{ LANTERNE_OUTBOX_SMS: 'sms-gateway', LANTERNE_SMS_GATEWAY_URL: 'http://192.168.1.20:8080', LANTERNE_SMS_GATEWAY_USERNAME: 'sms' }, 'LANTERNE_SMS_GATEWAY_PASSWORD'],
    [{ LANTERNE_OUTBOX_SMS: 'sms-gateway', LANTERNE_SMS_GATEWAY_URL: 'ftp://phone' }, 'LANTERNE_SMS_GATEWAY_URL'],
    [{ LANTERNE_OUTBOX_SMS: 'webhook', LANTERNE_SMS_WEBHOOK_URL: 'https://sms.example/send' }, 'LANTERNE_SMS_WEBHOOK_TOKEN'],
    [{ LANTERNE_OUTBOX_EMAIL: 'smtp', LANTERNE_MAIL_FROM: 'lanterne@example.org' }, 'LANTERNE_SMTP_URL'],
    [{ LANTERNE_OUTBOX_EMAIL: 'smtp', LANTERNE_SMTP_URL: 'smtp://mail.example.org:587' }, 'LANTERNE_MAIL_FROM'],
    [{ LANTERNE_OUTBOX_ATTEMPTS: '0' }, 'LANTERNE_OUTBOX_ATTEMPTS'],
    [{ LANTERNE_JURISDICTION: 'de' }, 'LANTERNE_JURISDICTION'],
    [{ LANTERNE_BOOTSTRAP_TOKEN: 'short' }, 'LANTERNE_BOOTSTRAP_TOKEN'],
    [{ LANTERNE_MASTER_KEY: 'c2hvcnQ=' }, 'LANTERNE_MASTER_KEY'],
    [{ LANTERNE_SIGNING_KEY: 'bm90IGEga2V5' }, 'LANTERNE_SIGNING_KEY'],
    [{ LANTERNE_MASTER_KEY_FILE: '/nonexistent/master.key' }, 'LANTERNE_MASTER_KEY_FILE'],
  ])('%j stops the start naming %s', (env, variable) => {
    const error = failure(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('refuses production without keys, since they must not live in the database', () => {
    const { LANTERNE_MASTER_KEY: _m, ...withoutMaster } = production();
    expect(failure(withoutMaster).variable).toBe('LANTERNE_MASTER_KEY');
    const { LANTERNE_SIGNING_KEY: _s, ...withoutSigning } = production();
    expect(failure(withoutSigning).variable).toBe('LANTERNE_SIGNING_KEY');
  });

  it('accepts the signing key as PEM, base64 of a PEM, or base64 DER', () => {
    const key = generateKeyPairSync('ed25519').privateKey;
    const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = key.export({ type: 'pkcs8', format: 'der' });
    for (const text of [pem, Buffer.from(pem).toString('base64'), der.toString('base64')]) {
      const config = loadConfig({ ...production(), LANTERNE_SIGNING_KEY: text });
      expect(config.keys.signingKey?.export({ type: 'pkcs8', format: 'der' }).equals(der)).toBe(true);
    }
  });

  it('refuses an RSA signing key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(failure({ ...production(), LANTERNE_SIGNING_KEY: rsa }).variable).toBe('LANTERNE_SIGNING_KEY');
  });

  it('reads the webhook settings, which need a Standard Webhooks secret', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    expect(loadConfig({}).webhook).toBeUndefined();
    expect(loadConfig({ LANTERNE_WEBHOOK_URL: 'https://router.example.org/hook', LANTERNE_WEBHOOK_SECRET: secret }).webhook).toEqual({
      url: 'https://router.example.org/hook',
      secret,
      attempts: 12,
      backoffMs: 5000,
      timeoutMs: 10000,
    });
    expect(failure({ LANTERNE_WEBHOOK_URL: 'https://router.example.org/hook' }).variable).toBe('LANTERNE_WEBHOOK_SECRET');
    expect(failure({ LANTERNE_WEBHOOK_SECRET: secret }).variable).toBe('LANTERNE_WEBHOOK_URL');
    expect(failure({ LANTERNE_WEBHOOK_URL: 'ftp://router.example.org', LANTERNE_WEBHOOK_SECRET: secret }).variable).toBe('LANTERNE_WEBHOOK_URL');
    expect(failure({ LANTERNE_WEBHOOK_URL: 'https://router.example.org', LANTERNE_WEBHOOK_SECRET: 'not-a-secret' }).variable).toBe('LANTERNE_WEBHOOK_SECRET');
    expect(failure({ LANTERNE_WEBHOOK_URL: 'https://router.example.org', LANTERNE_WEBHOOK_SECRET: `whsec_${randomBytes(8).toString('base64')}` }).message).toContain('at least 24 bytes');
  });

  it('reads the name servers of the reverse zones as host names, and refuses anything else', () => {
    expect(loadConfig({}).dns).toEqual({ nameservers: [], soaContact: undefined, forwardCheck: false, resolvers: [] });
    expect(loadConfig({ LANTERNE_DNS_NAMESERVERS: 'NS1.example.org., ns2.example.net', LANTERNE_DNS_FORWARD_CHECK: 'on', LANTERNE_DNS_RESOLVERS: '192.0.2.53, [2001:db8::53]:53' }).dns).toEqual({
      nameservers: ['ns1.example.org', 'ns2.example.net'],
      soaContact: undefined,
      forwardCheck: true,
      resolvers: ['192.0.2.53', '[2001:db8::53]:53'],
    });
    expect(failure({ LANTERNE_DNS_NAMESERVERS: 'ns1.example.org, ns_2.example.org' }).message).toContain('LANTERNE_DNS_NAMESERVERS must be comma-separated fully qualified host names');
    expect(failure({ LANTERNE_DNS_RESOLVERS: 'dns.example.org' }).variable).toBe('LANTERNE_DNS_RESOLVERS');
    expect(failure({ LANTERNE_DNS_FORWARD_CHECK: 'yes' }).variable).toBe('LANTERNE_DNS_FORWARD_CHECK');
  });

  it('keeps provisioning changes 30 days unless told otherwise', () => {
    expect(loadConfig({}).provisioningFeedDays).toBe(30);
    expect(loadConfig({ LANTERNE_PROVISIONING_FEED_DAYS: '7' }).provisioningFeedDays).toBe(7);
    expect(failure({ LANTERNE_PROVISIONING_FEED_DAYS: '0' }).variable).toBe('LANTERNE_PROVISIONING_FEED_DAYS');
  });

  it('masks-transparency-counts-below-5-unless-told-otherwise-and-never-below-2', () => {
    expect(loadConfig({}).transparencyMinCount).toBe(5);
    expect(loadConfig({ LANTERNE_TRANSPARENCY_MIN_COUNT: '10' }).transparencyMinCount).toBe(10);
    expect(failure({ LANTERNE_TRANSPARENCY_MIN_COUNT: '1' }).variable).toBe('LANTERNE_TRANSPARENCY_MIN_COUNT');
  });
});

describe("loadConfig: the association's side of the tunnels", () => {
  it('leaves every part unset by default, with a certificate validity of two years', () => {
    expect(loadConfig({}).tunnels).toEqual({ wireguard: { endpoint: undefined, publicKey: undefined }, openvpn: { remote: undefined, ca: undefined, certificateDays: 730 } });
  });

  it('reads the WireGuard endpoint and key and the OpenVPN remote, with the CA from files', async () => {
    const { ca, server } = await associationEnvironment();
    const dir = mkdtempSync(join(tmpdir(), 'lanterne-ca-'));
    writeFileSync(join(dir, 'ca.crt'), ca.certificatePem);
    writeFileSync(join(dir, 'ca.key'), ca.keyPem);
    const config = loadConfig({
      LANTERNE_WIREGUARD_ENDPOINT: '[2001:db8::1]:51820',
      LANTERNE_WIREGUARD_PUBLIC_KEY: server.publicKey,
      LANTERNE_OPENVPN_REMOTE: 'vpn.example.org 443 tcp',
      LANTERNE_OPENVPN_CA_CERT_FILE: join(dir, 'ca.crt'),
      LANTERNE_OPENVPN_CA_KEY_FILE: join(dir, 'ca.key'),
      LANTERNE_OPENVPN_CERT_DAYS: '90',
    });
    expect(config.tunnels.wireguard).toEqual({ endpoint: '[2001:db8::1]:51820', publicKey: server.publicKey });
    expect(config.tunnels.openvpn).toMatchObject({ remote: { host: 'vpn.example.org', port: 443, proto: 'tcp' }, certificateDays: 90 });
    expect(config.tunnels.openvpn.ca?.certificate).toContain('-----BEGIN CERTIFICATE-----');
  });

  it.each([
    [{ LANTERNE_WIREGUARD_ENDPOINT: 'vpn.example.org' }, 'LANTERNE_WIREGUARD_ENDPOINT'],
    [{ LANTERNE_WIREGUARD_ENDPOINT: 'vpn.example.org:0' }, 'LANTERNE_WIREGUARD_ENDPOINT'],
    [{ LANTERNE_WIREGUARD_ENDPOINT: '2001:db8::1:51820' }, 'LANTERNE_WIREGUARD_ENDPOINT'],
    [{ LANTERNE_WIREGUARD_PUBLIC_KEY: Buffer.alloc(31).toString('base64') }, 'LANTERNE_WIREGUARD_PUBLIC_KEY'],
    [{ LANTERNE_OPENVPN_REMOTE: 'vpn.example.org:1194' }, 'LANTERNE_OPENVPN_REMOTE'],
    [{ LANTERNE_OPENVPN_REMOTE: 'vpn.example.org 1194 quic' }, 'LANTERNE_OPENVPN_REMOTE'],
    [{ LANTERNE_OPENVPN_REMOTE: 'vpn.example.org 70000 udp' }, 'LANTERNE_OPENVPN_REMOTE'],
    [{ LANTERNE_OPENVPN_CERT_DAYS: '0' }, 'LANTERNE_OPENVPN_CERT_DAYS'],
    [{ LANTERNE_OPENVPN_CA_CERT: 'not a certificate', LANTERNE_OPENVPN_CA_KEY: 'not a key' }, 'LANTERNE_OPENVPN_CA_CERT'],
  ])('%j stops the start naming %s', (env, variable) => {
    expect(failure(env as Record<string, string>).variable).toBe(variable);
  });

  it('wants both halves of the CA, which must match, and a CA certificate', async () => {
    const { ca } = await associationEnvironment();
    const other = await makeCa('CN=Another CA');
    expect(failure({ LANTERNE_OPENVPN_CA_CERT: ca.certificatePem }).variable).toBe('LANTERNE_OPENVPN_CA_KEY');
    expect(failure({ LANTERNE_OPENVPN_CA_KEY: ca.keyPem }).variable).toBe('LANTERNE_OPENVPN_CA_CERT');
    const mismatch = failure({ LANTERNE_OPENVPN_CA_CERT: ca.certificatePem, LANTERNE_OPENVPN_CA_KEY: other.keyPem });
    expect(mismatch.message).toContain('LANTERNE_OPENVPN_CA_KEY is not the private key of LANTERNE_OPENVPN_CA_CERT');
  });
});

describe('backup configuration', () => {
  const recipient = 'age1y044hprc47pqvym6wfr8yg0xze2lxk7utslak46rdcynr83mrp6q34swz0';
  const identity = 'AGE-SECRET-KEY-15RKJ6P389KDEPY433U38W3M094DD67SU68K335UNCC50W82KZ95SQA3DZE';

  it('is off by default and takes comma-separated recipients', () => {
    expect(loadConfig({}).backup).toEqual({ recipients: [], identities: [], schedule: undefined });
    const other = 'age1h28kvyn42jmcf6q63z52tntzkncpusnzjd3sk5qsldeksdlufdwqklypju';
    expect(loadConfig({ LANTERNE_BACKUP_RECIPIENTS: ` ${recipient}, ${other} ` }).backup.recipients).toEqual([recipient, other]);
  });

  it('schedules into a directory every so many hours, keeping the newest', () => {
    const config = loadConfig({ LANTERNE_BACKUP_RECIPIENTS: recipient, LANTERNE_BACKUP_DIR: '/var/backups/lanterne', LANTERNE_BACKUP_EVERY: '6', LANTERNE_BACKUP_KEEP: '14' });
    expect(config.backup.schedule).toEqual({ dir: '/var/backups/lanterne', everyHours: 6, keep: 14 });
  });

  it('refuses a schedule without recipients, a period that drifts, and what is not a recipient', () => {
    expect(failure({ LANTERNE_BACKUP_DIR: '/var/backups/lanterne' }).variable).toBe('LANTERNE_BACKUP_RECIPIENTS');
    expect(failure({ LANTERNE_BACKUP_RECIPIENTS: recipient, LANTERNE_BACKUP_DIR: '/b', LANTERNE_BACKUP_EVERY: '5' }).variable).toBe('LANTERNE_BACKUP_EVERY');
    expect(failure({ LANTERNE_BACKUP_RECIPIENTS: identity }).variable).toBe('LANTERNE_BACKUP_RECIPIENTS');
    expect(failure({ LANTERNE_BACKUP_KEEP: '0' }).variable).toBe('LANTERNE_BACKUP_KEEP');
  });

  it('reads identities inline or from an age-keygen file, comments aside', () => {
    expect(loadConfig({ LANTERNE_BACKUP_IDENTITY: identity }).backup.identities).toEqual([identity]);
    const file = join(mkdtempSync(join(tmpdir(), 'lanterne-age-')), 'key.txt');
    writeFileSync(file, `# created: 2026-06-01T12:00:00Z\n# public key: ${recipient}\n${identity}\n`);
    expect(loadConfig({ LANTERNE_BACKUP_IDENTITY_FILE: file }).backup.identities).toEqual([identity]);
    expect(failure({ LANTERNE_BACKUP_IDENTITY: recipient }).variable).toBe('LANTERNE_BACKUP_IDENTITY');
  });
});
