import { createPrivateKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseHostname } from '../common/hostname';

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
  LANTERNE_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  // Standard Webhooks: "whsec_" then base64 of 24 to 64 random bytes.
  LANTERNE_WEBHOOK_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by base64 (Standard Webhooks)')
      .refine((secret) => Buffer.from(secret.slice('whsec_'.length), 'base64').length >= 24, 'must hold at least 24 bytes')
      .optional(),
  ),
  LANTERNE_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  LANTERNE_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
  LANTERNE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  LANTERNE_PROVISIONING_FEED_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LANTERNE_DNS_NAMESERVERS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const names: string[] = [];
      for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
        const parsed = parseHostname(item);
        if (parsed.ok) names.push(parsed.name);
        else ctx.addIssue({ code: 'custom', message: `must be comma-separated fully qualified host names: ${parsed.reason}` });
      }
      return names;
    }),
  LANTERNE_DNS_SOA_CONTACT: optionalText.pipe(z.string().regex(/^[^\s@]+(@[^\s@]+)?$/, 'must be a mailbox such as hostmaster@example.org').optional()),
  LANTERNE_DNS_FORWARD_CHECK: z.enum(['off', 'on']).default('off'),
  LANTERNE_DNS_RESOLVERS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.union([z.ipv4(), z.ipv6(), z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$/)]))),
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
  outbox: { kind: 'log' } | { kind: 'file'; dir: string };
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
  /** Days a provisioning change stays in the feed; a router further behind resynchronises from a full export. */
  provisioningFeedDays: number;
  /** Where each provisioning change is POSTed, signed (Standard Webhooks); unset: the feed only. */
  webhook?: { url: string; secret: string; attempts: number; backoffMs: number; timeoutMs: number };
  dns: {
    /** Name servers of the reverse zones (NS records; the first is the SOA's MNAME). */
    nameservers: string[];
    /** The SOA's mailbox; defaults to hostmaster at the first name server's domain. */
    soaContact?: string;
    /** Whether a PTR name set is checked to resolve back to its address (reported, never enforced). */
    forwardCheck: boolean;
    /** Resolvers for that check (address or address:port); empty: the system's. */
    resolvers: string[];
  };
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
    outbox: e.LANTERNE_OUTBOX === 'log' ? { kind: 'log' } : { kind: 'file', dir: e.LANTERNE_OUTBOX.slice('file:'.length) },
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
    provisioningFeedDays: e.LANTERNE_PROVISIONING_FEED_DAYS,
    webhook: webhookOf(e),
    dns: {
      nameservers: e.LANTERNE_DNS_NAMESERVERS,
      soaContact: e.LANTERNE_DNS_SOA_CONTACT,
      forwardCheck: e.LANTERNE_DNS_FORWARD_CHECK === 'on',
      resolvers: e.LANTERNE_DNS_RESOLVERS,
    },
  };
}

function webhookOf(e: Environment): AppConfig['webhook'] {
  if (!e.LANTERNE_WEBHOOK_URL) {
    if (e.LANTERNE_WEBHOOK_SECRET) throw new ConfigurationError('LANTERNE_WEBHOOK_URL', 'is required when LANTERNE_WEBHOOK_SECRET is set');
    return undefined;
  }
  if (!e.LANTERNE_WEBHOOK_SECRET) throw new ConfigurationError('LANTERNE_WEBHOOK_SECRET', 'is required with LANTERNE_WEBHOOK_URL: every delivery is signed');
  return {
    url: e.LANTERNE_WEBHOOK_URL,
    secret: e.LANTERNE_WEBHOOK_SECRET,
    attempts: e.LANTERNE_WEBHOOK_ATTEMPTS,
    backoffMs: e.LANTERNE_WEBHOOK_BACKOFF_MS,
    timeoutMs: e.LANTERNE_WEBHOOK_TIMEOUT_MS,
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
