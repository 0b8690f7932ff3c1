import { createPrivateKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The whole environment of Lanterne, validated once at start. `process.env` is read here and
 * nowhere else, so every setting is documented in one schema and a bad value stops the process
 * with a message naming the variable.
 */
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const EnvironmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  LANTERNE_DATA_DIR: z.string().default('./data'),
  LANTERNE_MASTER_KEY: optionalText,
  LANTERNE_MASTER_KEY_FILE: optionalText,
  LANTERNE_SIGNING_KEY: optionalText,
  LANTERNE_SIGNING_KEY_FILE: optionalText,
  LANTERNE_BOOTSTRAP_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  LANTERNE_OUTBOX: z
    .string()
    .regex(/^(log|file:.+)$/, 'must be "log" or "file:<dir>"')
    .default('log'),
  LANTERNE_OUTBOX_SMS: optionalText.pipe(z.string().regex(/^(log|file:.+|sms-gateway|webhook)$/, 'must be "log", "file:<dir>", "sms-gateway" or "webhook"').optional()),
  LANTERNE_OUTBOX_EMAIL: optionalText.pipe(z.string().regex(/^(log|file:.+|smtp)$/, 'must be "log", "file:<dir>" or "smtp"').optional()),
  LANTERNE_OUTBOX_POSTAL: optionalText.pipe(z.string().regex(/^(log|file:.+)$/, 'must be "log" or "file:<dir>"').optional()),
  LANTERNE_OUTBOX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  LANTERNE_OUTBOX_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  LANTERNE_SMS_GATEWAY_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  LANTERNE_SMS_GATEWAY_USERNAME: optionalText,
  LANTERNE_SMS_GATEWAY_PASSWORD: optionalText,
  LANTERNE_SMS_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  LANTERNE_SMS_WEBHOOK_TOKEN: optionalText,
  LANTERNE_SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  LANTERNE_MAIL_FROM: optionalText.pipe(z.string().regex(/^[^\r\n]+@[^\r\n]+$/, 'must be an e-mail address, optionally with a name: "Name <a@b>"').optional()),
  LANTERNE_ASSOCIATION_NAME: optionalText,
  LANTERNE_ASSOCIATION_ADDRESS: optionalText,
  LANTERNE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  LANTERNE_JURISDICTION: z.enum(['be', 'fr']).default('be'),
  LANTERNE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LANTERNE_QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be 1-40 lower-case letters, digits, - or _').default('lanterne'),
  LANTERNE_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(20),
  LANTERNE_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86400).default(10),
  // Express's `trust proxy`: which peers may name the client in X-Forwarded-For.
  LANTERNE_TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .default('loopback')
    .transform((value) => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value)),
  LANTERNE_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  LANTERNE_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  LANTERNE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  LANTERNE_JOB_SCHEDULE_CHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
});

export type Environment = z.infer<typeof EnvironmentSchema>;

export interface KeyMaterial {
  /** 32 bytes wrapping every per-subscriber data key; never stored in the database. */
  masterKey: Buffer;
  /** Ed25519 key signing ledger checkpoints. */
  signingKey: KeyObject;
}

export interface AppConfig {
  env: Environment['NODE_ENV'];
  port: number;
  host: string;
  /** Unset in embedded mode: the embedded PostgreSQL fills it in once it listens. */
  databaseUrl?: string;
  redisUrl?: string;
  mode: 'embedded' | 'production';
  dataDir: string;
  role: Environment['LANTERNE_ROLE'];
  bootstrapToken?: string;
  outbox: OutboxConfig;
  /** Who sends the letters: printed as their sender line. */
  association: { name?: string; addressLines: string[] };
  jurisdiction: Environment['LANTERNE_JURISDICTION'];
  logLevel: Environment['LANTERNE_LOG_LEVEL'];
  authFailuresPerMinute: number;
  /** Appends sign a checkpoint at most this often per process (0: with every append). */
  checkpointIntervalSeconds: number;
  /**
   * Peers trusted to name the client in X-Forwarded-For (Express's `trust proxy`: true, a hop
   * count, or addresses, subnets and loopback/linklocal/uniquelocal); the failure limiter counts
   * per client so named.
   */
  trustProxy: boolean | number | string;
  /** Namespaces the queues, so several instances (or test files) can share one Redis. */
  queuePrefix: string;
  /** Bounds on waiting for PostgreSQL, so a lost database answers 503 in seconds instead of hanging. */
  database: { connectTimeoutMs: number; statementTimeoutMs: number };
  /** How long SIGTERM waits for in-flight requests and jobs before the process exits anyway. */
  shutdownGraceMs: number;
  /** How often a worker checks that its job schedulers still exist (a Redis restarted empty loses them). */
  jobScheduleCheckMs: number;
  /** Keys given in the environment; embedded mode generates missing ones into the data dir. */
  keys: { masterKey?: Buffer; signingKey?: KeyObject };
}

/** Where one channel's messages go, with what that transport needs. */
export type OutboxTransportSetting =
  | { kind: 'log' }
  | { kind: 'file'; dir: string }
  /** SMS Gateway for Android in local-server mode: the association's own phone. */
  | { kind: 'sms-gateway'; url: string; username: string; password: string }
  /** Any other SMS provider, behind a webhook taking a bearer token. */
  | { kind: 'webhook'; url: string; token: string }
  | { kind: 'smtp'; url: string; from: string };

export interface OutboxConfig {
  transports: { sms: OutboxTransportSetting; email: OutboxTransportSetting; postal: OutboxTransportSetting };
  /** Tries per message before it is recorded as failed, waiting `backoffMs` × 2^(try − 1) between tries. */
  attempts: number;
  backoffMs: number;
}

export class ConfigurationError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigurationError';
  }
}

/** Nest injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigurationError('DATABASE_URL', 'is required when REDIS_URL is set (production mode uses both)');
  }
  if (e.DATABASE_URL && !e.REDIS_URL) {
    throw new ConfigurationError('REDIS_URL', 'is required when DATABASE_URL is set (production mode uses both)');
  }
  const mode = e.DATABASE_URL ? 'production' : 'embedded';
  const keys = {
    masterKey: readMasterKey(e),
    signingKey: readSigningKey(e),
  };
  if (mode === 'production' && !keys.masterKey) {
    throw new ConfigurationError('LANTERNE_MASTER_KEY', 'is required with DATABASE_URL: the master key must never live in the database');
  }
  if (mode === 'production' && !keys.signingKey) {
    throw new ConfigurationError('LANTERNE_SIGNING_KEY', 'is required with DATABASE_URL');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    mode,
    dataDir: e.LANTERNE_DATA_DIR,
    role: e.LANTERNE_ROLE,
    bootstrapToken: e.LANTERNE_BOOTSTRAP_TOKEN,
    outbox: outboxConfig(e),
    association: { name: e.LANTERNE_ASSOCIATION_NAME, addressLines: (e.LANTERNE_ASSOCIATION_ADDRESS ?? '').split('|').map((line) => line.trim()).filter(Boolean) },
    jurisdiction: e.LANTERNE_JURISDICTION,
    logLevel: e.LANTERNE_LOG_LEVEL,
    authFailuresPerMinute: e.LANTERNE_AUTH_FAILURES_PER_MINUTE,
    checkpointIntervalSeconds: e.LANTERNE_CHECKPOINT_INTERVAL_SECONDS,
    trustProxy: e.LANTERNE_TRUST_PROXY,
    queuePrefix: e.LANTERNE_QUEUE_PREFIX,
    database: { connectTimeoutMs: e.LANTERNE_DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: e.LANTERNE_DB_STATEMENT_TIMEOUT_MS },
    shutdownGraceMs: e.LANTERNE_SHUTDOWN_GRACE_MS,
    jobScheduleCheckMs: e.LANTERNE_JOB_SCHEDULE_CHECK_MS,
    keys,
  };
}

/** `LANTERNE_OUTBOX` for every channel, unless the channel names its own; a chosen transport needs its settings. */
function outboxConfig(e: Environment): OutboxConfig {
  const required = <V extends keyof Environment>(variable: V, transport: string): NonNullable<Environment[V]> => {
    const value = e[variable];
    if (value === undefined) throw new ConfigurationError(variable, `is required by the ${transport} transport`);
    return value as NonNullable<Environment[V]>;
  };
  const setting = (value: string): OutboxTransportSetting => {
    if (value.startsWith('file:')) return { kind: 'file', dir: value.slice('file:'.length) };
    switch (value) {
      case 'sms-gateway':
        return {
          kind: value,
          url: required('LANTERNE_SMS_GATEWAY_URL', value),
          username: required('LANTERNE_SMS_GATEWAY_USERNAME', value),
          password: required('LANTERNE_SMS_GATEWAY_PASSWORD', value),
        };
      case 'webhook':
        return { kind: value, url: required('LANTERNE_SMS_WEBHOOK_URL', value), token: required('LANTERNE_SMS_WEBHOOK_TOKEN', value) };
      case 'smtp':
        return { kind: value, url: required('LANTERNE_SMTP_URL', value), from: required('LANTERNE_MAIL_FROM', value) };
      default:
        return { kind: 'log' };
    }
  };
  return {
    transports: {
      sms: setting(e.LANTERNE_OUTBOX_SMS ?? e.LANTERNE_OUTBOX),
      email: setting(e.LANTERNE_OUTBOX_EMAIL ?? e.LANTERNE_OUTBOX),
      postal: setting(e.LANTERNE_OUTBOX_POSTAL ?? e.LANTERNE_OUTBOX),
    },
    attempts: e.LANTERNE_OUTBOX_ATTEMPTS,
    backoffMs: e.LANTERNE_OUTBOX_BACKOFF_MS,
  };
}

function secretFrom(e: Environment, variable: 'LANTERNE_MASTER_KEY' | 'LANTERNE_SIGNING_KEY'): { value: string; variable: string } | undefined {
  const inline = e[variable];
  const file = e[`${variable}_FILE`];
  if (inline && file) throw new ConfigurationError(variable, `and ${variable}_FILE are both set; choose one`);
  if (inline) return { value: inline, variable };
  if (!file) return undefined;
  try {
    return { value: readFileSync(file, 'utf8').trim(), variable: `${variable}_FILE` };
  } catch {
    throw new ConfigurationError(`${variable}_FILE`, `names a file that cannot be read: ${file}`);
  }
}

export function parseMasterKey(text: string, variable = 'LANTERNE_MASTER_KEY'): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64') !== text.replace(/\s/g, '')) {
    throw new ConfigurationError(variable, 'must be exactly 32 bytes encoded in base64');
  }
  return key;
}

export function parseSigningKey(text: string, variable = 'LANTERNE_SIGNING_KEY'): KeyObject {
  let key: KeyObject;
  try {
    // PEM, base64 of a PEM file (one line, handy in a .env file), or base64 PKCS#8 DER.
    const decoded = Buffer.from(text, 'base64');
    key = text.includes('-----BEGIN')
      ? createPrivateKey(text)
      : decoded.toString('latin1').startsWith('-----BEGIN')
        ? createPrivateKey(decoded.toString('utf8'))
        : createPrivateKey({ key: decoded, format: 'der', type: 'pkcs8' });
  } catch {
    throw new ConfigurationError(variable, 'must be an Ed25519 private key (PEM, base64 of a PEM, or base64 PKCS#8 DER)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigurationError(variable, 'must be an Ed25519 key');
  return key;
}

function readMasterKey(e: Environment): Buffer | undefined {
  const secret = secretFrom(e, 'LANTERNE_MASTER_KEY');
  return secret && parseMasterKey(secret.value, secret.variable);
}

function readSigningKey(e: Environment): KeyObject | undefined {
  const secret = secretFrom(e, 'LANTERNE_SIGNING_KEY');
  return secret && parseSigningKey(secret.value, secret.variable);
}
