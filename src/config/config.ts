import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseHostname } from '../common/hostname';
import { isKeyName, NoteFormatError, parseVerifierKey, SIGNATURE_TYPE, VerifierKey } from '../common/signed-note';
import { checkWireguardKey } from '../common/wireguard-key';

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

/** The periods a backup schedule may have, in hours: each divides a day or is a week, so runs fall at the same hours every day. */
export const BACKUP_PERIODS_HOURS = [1, 2, 3, 4, 6, 8, 12, 24, 168] as const;
/** An age recipient: X25519 (age1…), or post-quantum hybrid and tag ones; bech32 after the prefix. */
const AGE_RECIPIENT = /^age1(pq1|tag1|tagpq1)?[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{50,}$/;
/** An age identity, as age-keygen writes it. */
const AGE_IDENTITY = /^AGE-SECRET-KEY-(PQ-)?1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{50,}$/;

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
  LANTERNE_PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  LANTERNE_WEB_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  LANTERNE_WEB_SESSION_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  LANTERNE_JURISDICTION: z.enum(['be', 'fr']).default('be'),
  LANTERNE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LANTERNE_QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be 1-40 lower-case letters, digits, - or _').default('lanterne'),
  LANTERNE_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(20),
  LANTERNE_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86400).default(10),
  // C2SP names (origin, witness name): signed-note key names, so no space and no "+".
  LANTERNE_LOG_ORIGIN: optionalText.pipe(z.string().refine(isKeyName, 'must be a schema-less URL without spaces or "+", e.g. lanterne.example.org/ledger').optional()),
  LANTERNE_WITNESS_KEY: optionalText,
  LANTERNE_WITNESS_KEY_FILE: optionalText,
  LANTERNE_WITNESS_NAME: optionalText.pipe(z.string().refine(isKeyName, 'must be a schema-less URL without spaces or "+", e.g. lanterne.example.org/witness').optional()),
  LANTERNE_WITNESS_LOGS: z
    .string()
    .default('')
    .transform((text, ctx) => vkeysOf(text, SIGNATURE_TYPE.ed25519, ctx, 'must be Ed25519 verifier keys (<origin>+<key id>+<key>), separated by commas')),
  LANTERNE_WITNESSES: z
    .string()
    .default('')
    .transform((text, ctx) => witnessesOf(text, ctx)),
  LANTERNE_WITNESS_QUORUM: optionalText.pipe(z.string().regex(/^\d{1,3}$/, 'must be a whole number').transform(Number).optional()),
  LANTERNE_WITNESS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // Which peers may name the client in X-Forwarded-For (the values of Express's `trust proxy`, which Fastify's `trustProxy` reads alike).
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
  LANTERNE_TRANSPARENCY_MIN_COUNT: z.coerce.number().int().min(2).max(1000).default(5),
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
  // The association's side of the members' tunnels: what their configurations point at.
  LANTERNE_WIREGUARD_ENDPOINT: optionalText.pipe(
    z
      .string()
      .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/, 'must be host:port, e.g. vpn.example.org:51820 or [2001:db8::1]:51820')
      .refine((endpoint) => validPort(endpoint.slice(endpoint.lastIndexOf(':') + 1)), 'must end with a port between 1 and 65535')
      .optional(),
  ),
  LANTERNE_WIREGUARD_PUBLIC_KEY: optionalText.pipe(
    z
      .string()
      .superRefine((key, ctx) => {
        const check = checkWireguardKey(key);
        if (!check.ok) ctx.addIssue({ code: 'custom', message: `${check.reason} (the server's key, as \`wg pubkey\` prints it)` });
      })
      .optional(),
  ),
  LANTERNE_OPENVPN_REMOTE: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]+ \d{1,5} (udp|tcp|udp4|udp6|tcp4|tcp6)$/, 'must be "host port proto", e.g. "vpn.example.org 1194 udp" (proto udp, tcp, udp4, udp6, tcp4 or tcp6)')
      .refine((remote) => validPort(remote.split(' ')[1]), 'must name a port between 1 and 65535')
      .optional(),
  ),
  LANTERNE_OPENVPN_CA_CERT: optionalText,
  LANTERNE_OPENVPN_CA_CERT_FILE: optionalText,
  LANTERNE_OPENVPN_CA_KEY: optionalText,
  LANTERNE_OPENVPN_CA_KEY_FILE: optionalText,
  LANTERNE_OPENVPN_CERT_DAYS: z.coerce.number().int().min(1).max(3650).default(730),
  // Backups: encrypted with age to the association's recipients (public keys; whoever holds an identity can restore).
  LANTERNE_BACKUP_RECIPIENTS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(AGE_RECIPIENT, 'must be comma-separated age recipients (age1…, as age-keygen -y prints them)'))),
  LANTERNE_BACKUP_IDENTITY: optionalText,
  LANTERNE_BACKUP_IDENTITY_FILE: optionalText,
  LANTERNE_BACKUP_DIR: optionalText,
  LANTERNE_BACKUP_EVERY: z.coerce
    .number()
    .int()
    .refine((hours) => (BACKUP_PERIODS_HOURS as readonly number[]).includes(hours), `must be a number of hours among ${BACKUP_PERIODS_HOURS.join(', ')}`)
    .default(24),
  LANTERNE_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
});

type Issues = { addIssue(issue: { code: 'custom'; message: string }): void };

const listItems = (text: string) => text.split(/[,\n]/).map((part) => part.trim()).filter(Boolean);

function vkeysOf(text: string, type: VerifierKey['type'], ctx: Issues, message: string): VerifierKey[] {
  const keys: VerifierKey[] = [];
  for (const item of listItems(text)) {
    try {
      keys.push(parseVerifierKey(item, type));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${message}: ${(error as NoteFormatError).message}` });
    }
  }
  return keys;
}

/** `<cosigner vkey> <submission prefix URL>` items, separated by commas or newlines. */
function witnessesOf(text: string, ctx: Issues): WitnessEndpoint[] {
  const witnesses: WitnessEndpoint[] = [];
  for (const item of listItems(text)) {
    const [vkey, url, ...rest] = item.split(/\s+/);
    const key = vkeysOf(vkey, SIGNATURE_TYPE.cosignatureV1, ctx, 'must be "<witness vkey> <URL>" items, the vkey of type 0x04 (cosignature/v1)');
    if (rest.length > 0 || !url || !z.url({ protocol: /^https?$/ }).safeParse(url).success) {
      ctx.addIssue({ code: 'custom', message: 'must be "<witness vkey> <URL>" items separated by commas, the URL the witness\'s submission prefix (http or https)' });
      continue;
    }
    if (key[0]) witnesses.push({ key: key[0], url: url.replace(/\/+$/, '') });
  }
  return witnesses;
}

function validPort(text: string): boolean {
  const port = Number(text);
  return port >= 1 && port <= 65535;
}

export type Environment = z.infer<typeof EnvironmentSchema>;

export interface KeyMaterial {
  /** 32 bytes wrapping every per-subscriber data key; never stored in the database. */
  masterKey: Buffer;
  /** Ed25519 key signing ledger checkpoints. */
  signingKey: KeyObject;
  /** Ed25519 key cosigning other logs' checkpoints as a witness; absent in production when no log is followed. */
  witnessKey?: KeyObject;
}

/** A witness asked to cosign the ledger's checkpoints: its cosigner key and its submission prefix. */
export interface WitnessEndpoint {
  key: VerifierKey;
  url: string;
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
   * The ledger as a C2SP log: its origin line (also its key name), the witnesses asked to cosign its
   * checkpoints, and how many of them the published policy requires.
   */
  transparency: { origin: string; witnesses: WitnessEndpoint[]; quorum: number; timeoutMs: number };
  /** Lanterne as a witness of other logs: its cosigner name, and the logs it follows (origin = key name). */
  witness: { name: string; logs: VerifierKey[] };
  /**
   * Peers trusted to name the client in X-Forwarded-For (Fastify's `trustProxy`, as Express's `trust proxy`: true, a hop
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
  keys: { masterKey?: Buffer; signingKey?: KeyObject; witnessKey?: KeyObject };
  /** Days a provisioning change stays in the feed; a router further behind resynchronises from a full export. */
  provisioningFeedDays: number;
  /** Counts of the public transparency report below this are masked (docs/privacy.md); masking cannot be turned off. */
  transparencyMinCount: number;
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
  /** The association's side of the tunnels; a configuration that needs a missing part is refused naming its variable. */
  tunnels: TunnelAssociation;
  web: {
    /** Where people reach Lanterne (the links of sign-in e-mails); unset: members cannot be sent a sign-in link. */
    publicUrl?: string;
    /** A page session ends after this much idleness, and in any case this long after signing in. */
    idleMinutes: number;
    sessionHours: number;
  };
  backup: BackupConfig;
}

export interface BackupConfig {
  /** age recipients every archive is encrypted to; `lanterne backup` and the schedule need at least one. */
  recipients: string[];
  /** age identities (secret) that `lanterne restore` decrypts with, unless given a file. */
  identities: string[];
  /** Scheduled backups into `dir` every `everyHours`, keeping the `keep` newest; off without a dir. */
  schedule?: { dir: string; everyHours: number; keep: number };
}

export interface TunnelAssociation {
  wireguard: { endpoint?: string; publicKey?: string };
  openvpn: {
    remote?: { host: string; port: number; proto: string };
    /** The CA that signs members' certificates (and that the server trusts); both parts or neither. */
    ca?: OpenvpnCa;
    /** Validity of the certificates signed for members. */
    certificateDays: number;
  };
}

export interface OpenvpnCa {
  /** PEM, as given. */
  certificate: string;
  key: KeyObject;
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
    witnessKey: readWitnessKey(e),
  };
  if (mode === 'production' && !keys.masterKey) {
    throw new ConfigurationError('LANTERNE_MASTER_KEY', 'is required with DATABASE_URL: the master key must never live in the database');
  }
  if (mode === 'production' && !keys.signingKey) {
    throw new ConfigurationError('LANTERNE_SIGNING_KEY', 'is required with DATABASE_URL');
  }
  if (mode === 'production' && !keys.witnessKey && e.LANTERNE_WITNESS_LOGS.length > 0) {
    throw new ConfigurationError('LANTERNE_WITNESS_KEY', 'is required with LANTERNE_WITNESS_LOGS: cosignatures are signed with it');
  }
  const quorum = e.LANTERNE_WITNESS_QUORUM ?? e.LANTERNE_WITNESSES.length;
  if (quorum > e.LANTERNE_WITNESSES.length) {
    throw new ConfigurationError('LANTERNE_WITNESS_QUORUM', `cannot exceed the ${e.LANTERNE_WITNESSES.length} witnesses of LANTERNE_WITNESSES`);
  }
  const origin = e.LANTERNE_LOG_ORIGIN ?? defaultOrigin(e.LANTERNE_MAIL_FROM);
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
    transparency: { origin, witnesses: e.LANTERNE_WITNESSES, quorum, timeoutMs: e.LANTERNE_WITNESS_TIMEOUT_MS },
    witness: { name: e.LANTERNE_WITNESS_NAME ?? `${origin.split('/')[0]}/witness`, logs: e.LANTERNE_WITNESS_LOGS },
    trustProxy: e.LANTERNE_TRUST_PROXY,
    queuePrefix: e.LANTERNE_QUEUE_PREFIX,
    database: { connectTimeoutMs: e.LANTERNE_DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: e.LANTERNE_DB_STATEMENT_TIMEOUT_MS },
    shutdownGraceMs: e.LANTERNE_SHUTDOWN_GRACE_MS,
    jobScheduleCheckMs: e.LANTERNE_JOB_SCHEDULE_CHECK_MS,
    keys,
    provisioningFeedDays: e.LANTERNE_PROVISIONING_FEED_DAYS,
    transparencyMinCount: e.LANTERNE_TRANSPARENCY_MIN_COUNT,
    webhook: webhookOf(e),
    dns: {
      nameservers: e.LANTERNE_DNS_NAMESERVERS,
      soaContact: e.LANTERNE_DNS_SOA_CONTACT,
      forwardCheck: e.LANTERNE_DNS_FORWARD_CHECK === 'on',
      resolvers: e.LANTERNE_DNS_RESOLVERS,
    },
    tunnels: {
      wireguard: { endpoint: e.LANTERNE_WIREGUARD_ENDPOINT, publicKey: e.LANTERNE_WIREGUARD_PUBLIC_KEY },
      openvpn: { remote: parseOpenvpnRemote(e.LANTERNE_OPENVPN_REMOTE), ca: readOpenvpnCa(e), certificateDays: e.LANTERNE_OPENVPN_CERT_DAYS },
    },
    web: { publicUrl: e.LANTERNE_PUBLIC_URL?.replace(/\/+$/, ''), idleMinutes: e.LANTERNE_WEB_IDLE_MINUTES, sessionHours: e.LANTERNE_WEB_SESSION_HOURS },
    backup: backupOf(e),
  };
}

function backupOf(e: Environment): BackupConfig {
  const identity = secretFrom(e, 'LANTERNE_BACKUP_IDENTITY');
  const identities = identity ? parseAgeIdentities(identity.value, identity.variable) : [];
  if (e.LANTERNE_BACKUP_DIR && e.LANTERNE_BACKUP_RECIPIENTS.length === 0) {
    throw new ConfigurationError('LANTERNE_BACKUP_RECIPIENTS', 'is required with LANTERNE_BACKUP_DIR: every archive is encrypted to them');
  }
  return {
    recipients: e.LANTERNE_BACKUP_RECIPIENTS,
    identities,
    schedule: e.LANTERNE_BACKUP_DIR ? { dir: e.LANTERNE_BACKUP_DIR, everyHours: e.LANTERNE_BACKUP_EVERY, keep: e.LANTERNE_BACKUP_KEEP } : undefined,
  };
}

/** The identities of an age identity file (age-keygen's output: comment lines start with #), or of one line. */
export function parseAgeIdentities(text: string, variable = 'LANTERNE_BACKUP_IDENTITY'): string[] {
  const identities = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (identities.length === 0 || !identities.every((line) => AGE_IDENTITY.test(line))) {
    throw new ConfigurationError(variable, 'must hold age identities (AGE-SECRET-KEY-1…), one per line, as age-keygen writes them');
  }
  return identities;
}

/**
 * The origin a log is known by must be unique among the logs a witness follows: the domain the
 * association sends mail from is its own; without one (a test or a first try), `localhost/ledger`.
 */
function defaultOrigin(mailFrom: string | undefined): string {
  const domain = mailFrom ? /@([^\s>]+)>?\s*$/.exec(mailFrom)?.[1] : undefined;
  return domain && isKeyName(domain) ? `${domain.toLowerCase()}/ledger` : 'localhost/ledger';
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

type FromFileVariable = 'LANTERNE_MASTER_KEY' | 'LANTERNE_SIGNING_KEY' | 'LANTERNE_WITNESS_KEY' | 'LANTERNE_OPENVPN_CA_CERT' | 'LANTERNE_OPENVPN_CA_KEY' | 'LANTERNE_BACKUP_IDENTITY';

function secretFrom(e: Environment, variable: FromFileVariable): { value: string; variable: string } | undefined {
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

function readWitnessKey(e: Environment): KeyObject | undefined {
  const secret = secretFrom(e, 'LANTERNE_WITNESS_KEY');
  return secret && parseSigningKey(secret.value, secret.variable);
}

function parseOpenvpnRemote(remote: string | undefined): TunnelAssociation['openvpn']['remote'] {
  if (!remote) return undefined;
  const [host, port, proto] = remote.split(' ');
  return { host, port: Number(port), proto };
}

/**
 * The CA certificate and its private key, which must match, and the certificate must be a CA's.
 * Keys WebCrypto signs with: RSA, ECDSA on P-256 or P-384, Ed25519.
 */
export function parseOpenvpnCa(certificateText: string, keyText: string, variables = { certificate: 'LANTERNE_OPENVPN_CA_CERT', key: 'LANTERNE_OPENVPN_CA_KEY' }): OpenvpnCa {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificateText);
  } catch {
    throw new ConfigurationError(variables.certificate, 'must be a PEM certificate');
  }
  if (!certificate.ca) throw new ConfigurationError(variables.certificate, 'must be a CA certificate (basicConstraints CA:TRUE)');
  let key: KeyObject;
  try {
    key = createPrivateKey(keyText);
  } catch {
    throw new ConfigurationError(variables.key, 'must be a PEM private key');
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const supported = key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ed25519' || (key.asymmetricKeyType === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1'));
  if (!supported) throw new ConfigurationError(variables.key, 'must be an RSA, ECDSA P-256/P-384 or Ed25519 key');
  if (!certificate.checkPrivateKey(key)) throw new ConfigurationError(variables.key, `is not the private key of ${variables.certificate}`);
  return { certificate: certificate.toString(), key };
}

function readOpenvpnCa(e: Environment): OpenvpnCa | undefined {
  const certificate = secretFrom(e, 'LANTERNE_OPENVPN_CA_CERT');
  const key = secretFrom(e, 'LANTERNE_OPENVPN_CA_KEY');
  if (!certificate && !key) return undefined;
  if (!certificate) throw new ConfigurationError('LANTERNE_OPENVPN_CA_CERT', 'is required with LANTERNE_OPENVPN_CA_KEY');
  if (!key) throw new ConfigurationError('LANTERNE_OPENVPN_CA_KEY', 'is required with LANTERNE_OPENVPN_CA_CERT');
  return parseOpenvpnCa(certificate.value, key.value, { certificate: certificate.variable, key: key.variable });
}
