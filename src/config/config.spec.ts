import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
