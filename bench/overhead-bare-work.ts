import Redis from 'ioredis';
import { Pool } from 'pg';
import { addressToPrefix } from '../src/ipam/cidr';
import { LOOKUP_SQL } from '../src/ipam/ipam.store';
import { hashBearerToken } from '../src/auth/bearer-token';
import { redisOptions } from '../src/queue/queue-connection';

/**
 * The work Lanterne does on the benched routes, with nothing around it (the token-hash lookup, the
 * same SQL through `pg`, one JSON answer): what the baselines of bench/overhead.bench.ts serve,
 * bare on node:http and inside a bare Nest application. Reads BARE_DATABASE_URL and BARE_REDIS_URL.
 */
const pool = new Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 10 });
const redis = new Redis(redisOptions(process.env.BARE_REDIS_URL as string));

export interface Answer {
  status: number;
  body: unknown;
}

interface Account {
  id: string;
  name: string;
  roles: string[];
  subscriber_id: string | null;
}

async function authenticate(authorization: string | undefined): Promise<Account | null> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) return null;
  const { rows } = await pool.query<Account>('SELECT id, name, roles, subscriber_id FROM accounts WHERE token_hash = $1 AND revoked_at IS NULL', [hashBearerToken(token)]);
  return rows[0] ?? null;
}

export async function health(): Promise<Answer> {
  const [{ rows }] = await Promise.all([pool.query('SELECT max(seen_at) AS seen FROM worker_heartbeats'), redis.ping()]);
  return { status: 200, body: { status: 'ok', database: 'ok', queue: 'ok', workerLastSeenAt: rows[0]?.seen ?? null } };
}

export async function me(authorization: string | undefined): Promise<Answer> {
  const account = await authenticate(authorization);
  if (!account) return { status: 401, body: { title: 'unauthenticated' } };
  return { status: 200, body: { id: account.id, name: account.name, roles: account.roles, ...(account.subscriber_id ? { subscriberId: account.subscriber_id } : {}) } };
}

export async function lookup(authorization: string | undefined, addressParameter: string): Promise<Answer> {
  const account = await authenticate(authorization);
  if (!account) return { status: 401, body: { title: 'unauthenticated' } };
  const address = addressToPrefix(addressParameter);
  if (!address.ok) return { status: 400, body: { title: address.reason } };
  const at = new Date();
  const { rows } = await pool.query(LOOKUP_SQL, [address.prefix.text, at]);
  const items = rows.slice(0, 50).map((row) => ({
    id: row.id,
    subscriptionId: row.subscription_id,
    poolId: row.pool_id,
    prefix: row.prefix,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until?.toISOString() ?? null,
  }));
  return { status: 200, body: { address: address.prefix.text, at: at.toISOString(), items, total: rows.length, limit: 50, offset: 0 } };
}

export const closeBareWork = () => Promise.all([pool.end(), redis.quit()]);
