import { createPublicKey, KeyObject } from 'node:crypto';
import { Client } from 'pg';
import { parseSigningKey } from '../../src/config/config';
import { Checkpoint, verifyCheckpoint } from '../../src/ledger/checkpoint';
import { verifyConsistency } from '../../src/ledger/merkle';
import { startService } from '../support/run-cli';
import { createTestDatabase, testEnvironment } from '../support/test-app';

/**
 * What the README claims: scaling out is running more `api` and `worker` processes on one
 * PostgreSQL and Redis. Two API processes and one worker, each its own process, share a database
 * and a queue prefix; clients write through both at once.
 */
type Service = Awaited<ReturnType<typeof startService>>;

const SUBSCRIPTIONS = 24;
/** 198.51.100.0/27 in /32 blocks, less its network and broadcast addresses. */
const POOL_ADDRESSES = 30;
const USERS_PER_API = 8;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: Client;
let token: string;
let instanceKey: KeyObject;
let apis: [Service, Service];
let worker: Service;

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  // Every request below is meant to succeed or be refused for a reason of the domain: on a loaded test
  // machine, the seconds-long database timeouts (tested in tests/foundation/database-outage) would
  // turn a long wait for the ledger head into 503. Each append signs the tree it leaves, so the last
  // checkpoint either process serves is the final tree.
  const env = testEnvironment(database.url, {
    LANTERNE_LOG_LEVEL: 'warn',
    LANTERNE_DB_CONNECT_TIMEOUT_MS: '120000',
    LANTERNE_DB_STATEMENT_TIMEOUT_MS: '120000',
    LANTERNE_CHECKPOINT_INTERVAL_SECONDS: '0',
  });
  token = env.LANTERNE_BOOTSTRAP_TOKEN;
  instanceKey = createPublicKey(parseSigningKey(env.LANTERNE_SIGNING_KEY));
  // Started together: migrations and the first admin are serialised by the database, not by start order.
  const [first, second, jobs] = await Promise.all([
    startService({ ...env, LANTERNE_ROLE: 'api' }),
    startService({ ...env, LANTERNE_ROLE: 'api' }),
    startService({ ...env, LANTERNE_ROLE: 'worker' }),
  ]);
  apis = [first, second];
  worker = jobs;
}, 240_000);

afterAll(async () => {
  for (const service of [...(apis ?? []), worker]) {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }
  await sql.end();
  await database.drop();
});

async function call(api: Service, method: string, path: string, body?: object): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json() };
}

const created = async (api: Service, path: string, body: object) => {
  const response = await call(api, 'POST', path, body);
  if (response.status !== 201) throw new Error(`POST ${path} through ${api.url}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};

const apiFor = (i: number) => apis[i % 2];

describe('two API processes and one worker on one database and Redis', () => {
  it('hand-out-distinct-blocks-and-keep-one-gap-free-ledger-with-consistent-checkpoints', async () => {
    const pool = await created(apis[0], '/ip-pools', { name: 'scale-out', prefix: '198.51.100.0/27', assignLength: 32 });
    const subscriptions: string[] = await Promise.all(
      Array.from({ length: SUBSCRIPTIONS }, async (_, i) => {
        const subscriber = await created(apiFor(i), '/subscribers', { displayName: `Member ${i}`, email: `member-${i}@example.org` });
        return (await created(apiFor(i + 1), '/subscriptions', { subscriberId: subscriber.id, service: 'vpn' })).id;
      }),
    );

    const checkpoints: Checkpoint[] = [];
    const takeCheckpoint = async (api: Service) => {
      const response = await call(api, 'GET', '/ledger/checkpoint');
      expect(response.status).toBe(200);
      checkpoints.push(response.body);
    };
    await Promise.all(apis.map(takeCheckpoint));

    // Every subscription asks both APIs at the same moment, for more addresses than the pool holds.
    const [allocations] = await Promise.all([
      Promise.all(subscriptions.flatMap((id) => apis.map((api) => call(api, 'POST', `/subscriptions/${id}/ip-assignments`, { poolId: pool.id })))),
      Promise.all(Array.from({ length: 2 * USERS_PER_API }, (_, i) => created(apiFor(i), '/users', { name: `operator ${i}`, roles: ['technician'] }))),
      Promise.all(Array.from({ length: 6 }, (_, i) => takeCheckpoint(apiFor(i)))),
    ]);
    await Promise.all(apis.map(takeCheckpoint));

    const granted = allocations.filter((a) => a.status === 201).map((a) => a.body);
    const refused = allocations.filter((a) => a.status !== 201);
    expect(granted).toHaveLength(POOL_ADDRESSES);
    expect(new Set(granted.map((a) => a.prefix)).size).toBe(POOL_ADDRESSES);
    expect(refused).toHaveLength(2 * SUBSCRIPTIONS - POOL_ADDRESSES);
    expect(refused.every((a) => a.status === 409 && a.body.type === 'urn:lanterne:problem:pool-exhausted')).toBe(true);
    const { rows: overlapping } = await sql.query(
      `SELECT count(*)::int AS n FROM ip_assignments a JOIN ip_assignments b ON a.id < b.id AND a.prefix && b.prefix AND a.held && b.held`,
    );
    expect(overlapping[0].n).toBe(0);

    const { rows: leaves } = await sql.query(`SELECT count(*)::int AS n, min(index)::int AS first, max(index)::int AS last FROM ledger_leaves`);
    const { rows: head } = await sql.query(`SELECT tree_size::int AS size FROM ledger_head`);
    expect(leaves[0]).toEqual({ n: head[0].size, first: 0, last: head[0].size - 1 });

    for (const api of apis) {
      const verified = await call(api, 'GET', '/ledger/verify');
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ ok: true, treeSize: head[0].size });
    }

    // Checkpoints signed by either process describe one growing tree: each is a prefix of the next,
    // proven by whichever process is asked.
    expect(checkpoints.every((cp) => verifyCheckpoint(instanceKey, cp))).toBe(true);
    const ordered = [...checkpoints].sort((a, b) => a.treeSize - b.treeSize);
    expect(ordered[ordered.length - 1].treeSize).toBe(head[0].size);
    for (let i = 1; i < ordered.length; i += 1) {
      const [older, newer] = [ordered[i - 1], ordered[i]];
      const proof = await call(apiFor(i), 'GET', `/ledger/proofs/consistency?first=${older.treeSize}&second=${newer.treeSize}`);
      expect(proof.status).toBe(200);
      const path = proof.body.path.map((hash: string) => Buffer.from(hash, 'hex'));
      expect(verifyConsistency(older.treeSize, newer.treeSize, Buffer.from(older.rootHash, 'hex'), Buffer.from(newer.rootHash, 'hex'), path)).toBe(true);
    }
  });

  it('runs-jobs-in-the-worker-process-only', async () => {
    const deadline = Date.now() + 30_000;
    let beats: { worker: string }[] = [];
    while (beats.length === 0 && Date.now() < deadline) {
      beats = (await sql.query<{ worker: string }>('SELECT worker FROM worker_heartbeats')).rows;
      if (beats.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(beats.map((beat) => Number(beat.worker.split(':').pop()))).toEqual([worker.child.pid]);
    for (const api of apis) expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });
});
