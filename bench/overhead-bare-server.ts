import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { addressToPrefix } from '../src/ipam/cidr';
import { LOOKUP_SQL } from '../src/ipam/ipam.store';
import { hashBearerToken } from '../src/auth/bearer-token';
import { redisOptions } from '../src/queue/queue-connection';

/**
 * The baseline of bench/overhead.bench.ts: node:http and `pg`, no framework, doing the work
 * Lanterne does on the same routes (the token-hash lookup, the same SQL, one JSON answer). Started
 * as its own process with BARE_DATABASE_URL and BARE_REDIS_URL; prints the port it listens on.
 */
const pool = new Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 10 });
const redis = new Redis(redisOptions(process.env.BARE_REDIS_URL as string));

interface Account {
  id: string;
  name: string;
  roles: string[];
  subscriber_id: string | null;
}

async function authenticate(request: IncomingMessage): Promise<Account | null> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!token) return null;
  const { rows } = await pool.query<Account>('SELECT id, name, roles, subscriber_id FROM accounts WHERE token_hash = $1 AND revoked_at IS NULL', [hashBearerToken(token)]);
  return rows[0] ?? null;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    const [{ rows }] = await Promise.all([pool.query('SELECT max(seen_at) AS seen FROM worker_heartbeats'), redis.ping()]);
    return send(response, 200, { status: 'ok', database: 'ok', queue: 'ok', workerLastSeenAt: rows[0]?.seen ?? null });
  }
  const account = await authenticate(request);
  if (!account) return send(response, 401, { title: 'unauthenticated' });
  if (url.pathname === '/api/v1/me') {
    return send(response, 200, { id: account.id, name: account.name, roles: account.roles, ...(account.subscriber_id ? { subscriberId: account.subscriber_id } : {}) });
  }
  if (url.pathname === '/api/v1/ip-assignments') {
    const address = addressToPrefix(url.searchParams.get('address') ?? '');
    if (!address.ok) return send(response, 400, { title: address.reason });
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
    return send(response, 200, { address: address.prefix.text, at: at.toISOString(), items, total: rows.length, limit: 50, offset: 0 });
  }
  send(response, 404, { title: 'not found' });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => send(response, 500, { title: String(error) }));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void Promise.all([pool.end(), redis.quit()]).then(() => process.exit(0));
});
