import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { DataSource } from 'typeorm';
import type { Actor } from '../src/common/access';
import { loadConfig } from '../src/config/config';
import { resolveKeyMaterial } from '../src/config/keys';
import { runMigrations } from '../src/database/migrate';
import { IpAllocationService } from '../src/ipam/ip-allocation.service';
import { IpAssignmentsService } from '../src/ipam/ip-assignments.service';
import { findHolders, LOOKUP_SQL } from '../src/ipam/ipam.store';
import { durationMs, interleavedMediansMs, reportFigure, reportRatio } from './support';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const HISTORIC_BLOCKS = 250_000;
const PERIODS_PER_BLOCK = 4;
const DAY = 24 * 3600 * 1000;
const EPOCH = Date.parse('2020-01-01T00:00:00Z');

/**
 * IPAM at scale, on its own database: (1) "who held this address at T" among 1,000,000 historic
 * assignments, through the service vs the same statements with raw pg; (2) the lowest-free
 * allocation in a pool with 10,000 vs 1,000,000 assigned blocks; (3) 1,000 concurrent allocations.
 */
export async function run(): Promise<void> {
  const database = `lanterne_bench_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(database);
  await adminQuery(`CREATE DATABASE ${database}`);
  const sql = new Client({ connectionString: url });
  let app: INestApplicationContext | undefined;
  try {
    await runMigrations(url);
    await sql.connect();
    app = await startApplication(url);
    const fixtures = await fill(sql, url);
    await lookups(app, sql, fixtures);
    await lowestFree(app, fixtures);
    await concurrentAllocations(app, sql, fixtures);
  } finally {
    await app?.close();
    await sql.end();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

interface Fixtures {
  actor: Actor;
  subscriptions: string[];
  pools: { small: string; large: string; fresh: string };
}

async function fill(sql: Client, url: string): Promise<Fixtures> {
  const [{ id: accountId }] = (await sql.query(`INSERT INTO accounts (name, roles, token_hash) VALUES ('bench', '{technician}', '\\x00') RETURNING id`)).rows;
  const [{ id: subscriberId }] = (await sql.query(`INSERT INTO subscribers (member_number, display_name, email) VALUES (1, 'bench', 'bench@example.org') RETURNING id`)).rows;
  const subscriptions = (await sql.query(`INSERT INTO subscriptions (subscriber_id, service, starts_at) SELECT $1, 'vpn', '2000-01-01' FROM generate_series(1, 1000) RETURNING id`, [subscriberId])).rows.map(
    (row: { id: string }) => row.id,
  );
  const pool = async (name: string, prefix: string, assignLength: number) =>
    (await sql.query(`INSERT INTO ip_pools (name, prefix, assign_length) VALUES ($1, $2, $3) RETURNING id`, [name, prefix, assignLength])).rows[0].id as string;
  const historic = await pool('historic', '10.0.0.0/8', 32);
  const small = await pool('small', '11.0.0.0/16', 32);
  const large = await pool('large', '12.0.0.0/8', 32);
  const fresh = await pool('fresh', '2001:db8::/32', 56);

  // Each block held four times, 60 days each, 100 days apart: past the 30-day quarantine.
  const history = (client: Client) =>
    client.query(
      `INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from, valid_until, quarantine_until)
       SELECT $1, '10.0.0.0/8', 32, s.ids[1 + (b * 4 + k) % 1000], set_masklen('10.0.0.0'::inet + b, 32)::cidr,
              $3::timestamptz + (k * 100 + b % 7) * interval '1 day',
              $3::timestamptz + (k * 100 + b % 7 + 60) * interval '1 day',
              $3::timestamptz + (k * 100 + b % 7 + 90) * interval '1 day'
       FROM generate_series(1, $2::int) b, generate_series(0, ${PERIODS_PER_BLOCK - 1}) k, (SELECT array_agg(id) AS ids FROM subscriptions) s`,
      [historic, HISTORIC_BLOCKS, new Date(EPOCH)],
    );
  const held = (poolId: string, prefix: string, base: string, count: number) =>
    sql.query(
      `INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from)
       SELECT $1, $2, 32, s.ids[1 + b % 1000], set_masklen($3::inet + b, 32)::cidr, '2024-01-01'
       FROM generate_series(1, $4::int) b, (SELECT array_agg(id) AS ids FROM subscriptions) s`,
      [poolId, prefix, base, count],
    );
  // Two sessions, one per core: each row costs the exclusion constraint's GiST check and two foreign keys.
  const second = new Client({ connectionString: url });
  await second.connect();
  const fillMs = await durationMs(() =>
    Promise.all([
      history(second),
      (async () => {
        await held(small, '11.0.0.0/16', '11.0.0.0', 10_000);
        await held(large, '12.0.0.0/8', '12.0.0.0', 1_000_000);
      })(),
    ]).finally(() => second.end()),
  );
  reportFigure('fill: 1,000,000 historic and 1,010,000 current assignments, two sessions', `${(fillMs / 1000).toFixed(1)} s`);
  // What autovacuum and the checkpointer would do by themselves, done before measuring rather than during.
  await sql.query('VACUUM ANALYZE ip_assignments');
  await sql.query('VACUUM ANALYZE ip_pool_chunks');
  await sql.query('CHECKPOINT');
  return { actor: { id: accountId, name: 'bench technician', roles: ['technician'], role: 'technician', subscriberId: null }, subscriptions, pools: { small, large, fresh } };
}

/** (1) One address and one instant inside one of its four historic periods, drawn at random. */
async function lookups(app: INestApplicationContext, sql: Client, fixtures: Fixtures): Promise<void> {
  const service = app.get(IpAssignmentsService);
  const dataSource = app.get(DataSource);
  const probe = () => {
    const block = 1 + Math.floor(Math.random() * HISTORIC_BLOCKS);
    const period = Math.floor(Math.random() * PERIODS_PER_BLOCK);
    const at = new Date(EPOCH + (period * 100 + (block % 7) + 30) * DAY);
    return { address: `10.${(block >> 16) & 255}.${(block >> 8) & 255}.${block & 255}`, at };
  };
  const expectOne = (found: number, address: string) => {
    if (found !== 1) throw new Error(`expected one holder of ${address}, found ${found}`);
  };
  const viaService = async () => {
    const { address, at } = probe();
    expectOne((await findHolders(dataSource.manager, `${address}/32`, at)).length, address);
  };
  const viaPg = async () => {
    const { address, at } = probe();
    expectOne((await sql.query(LOOKUP_SQL, [`${address}/32`, at])).rowCount ?? 0, address);
  };
  await interleavedMediansMs(300, viaService, viaPg);
  const runs = 2000;
  const [through, pg] = await interleavedMediansMs(runs, viaService, viaPg);
  reportRatio(
    `(1) at-time lookup "who held this address at T" among 1,000,000 historic assignments, median of ${runs}`,
    { label: 'findHolders (TypeORM)', ms: through },
    { label: 'same SQL with raw pg', ms: pg },
    1.3,
  );
  // What a technician's purposed past lookup costs in all: the read plus its ledger entry, in one transaction.
  const purposed = async () => {
    const { address, at } = probe();
    expectOne((await service.lookup(fixtures.actor, { address, at, purpose: 'benchmark run', purposeCategory: 'audit', limit: 50, offset: 0 })).total, address);
  };
  const [withLedger, bare] = await interleavedMediansMs(500, purposed, viaPg);
  reportFigure(
    '(1b) purposed past lookup with its ledger entry, median of 500 (no target: the ledger append is the difference)',
    `${withLedger.toFixed(3)} ms, against ${bare.toFixed(3)} ms for the lookup SQL alone with raw pg`,
  );
}

/** (2) Allocations, one after the other, in a pool with 10,000 and with 1,000,000 blocks assigned from its bottom. */
async function lowestFree(app: INestApplicationContext, fixtures: Fixtures): Promise<void> {
  const allocation = app.get(IpAllocationService);
  const allocate = (poolId: string) => (i: number) => allocation.assign(fixtures.subscriptions[i % fixtures.subscriptions.length], { poolId });
  await interleavedMediansMs(20, allocate(fixtures.pools.small), allocate(fixtures.pools.large));
  const runs = 300;
  const [small, large] = await interleavedMediansMs(runs, allocate(fixtures.pools.small), allocate(fixtures.pools.large));
  reportRatio(
    `(2) lowest-free allocation (one transaction: lock, search, insert), median of ${runs}`,
    { label: 'pool with 1,000,000 assigned blocks', ms: large },
    { label: 'pool with 10,000 assigned blocks', ms: small },
    3,
  );
}

/** (3) 1,000 allocations at once in one pool: none may share a block. */
async function concurrentAllocations(app: INestApplicationContext, sql: Client, fixtures: Fixtures): Promise<void> {
  const allocation = app.get(IpAllocationService);
  const count = 1000;
  let results: { prefix: string }[] = [];
  const ms = await durationMs(async () => {
    results = await Promise.all(Array.from({ length: count }, (_, i) => allocation.assign(fixtures.subscriptions[i % fixtures.subscriptions.length], { poolId: fixtures.pools.fresh })));
  });
  const answered = new Set(results.map((r) => r.prefix)).size;
  const [{ rows: total, blocks }] = (
    await sql.query(`SELECT count(*)::int AS rows, count(DISTINCT prefix)::int AS blocks FROM ip_assignments WHERE pool_id = $1`, [fixtures.pools.fresh])
  ).rows;
  reportFigure(`(3) ${count} concurrent allocations in a fresh /32 of /56s`, `${results.length} succeeded in ${(ms / 1000).toFixed(2)} s`);
  reportFigure('    duplicates (must be 0)', `${count - answered} in the answers, ${total - blocks} in the table`);
  reportFigure('    allocations per second', (count / (ms / 1000)).toFixed(0));
}

async function startApplication(url: string): Promise<INestApplicationContext> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    REDIS_URL: REDIS,
    LANTERNE_ROLE: 'api',
    LANTERNE_LOG_LEVEL: 'silent',
    LANTERNE_QUEUE_PREFIX: `bench${randomBytes(4).toString('hex')}`,
    LANTERNE_MASTER_KEY: randomBytes(32).toString('base64'),
    LANTERNE_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
  });
  return NestFactory.createApplicationContext(AppModule.forRoot({ config, keys: resolveKeyMaterial(config).keys, databaseUrl: url }), {
    logger: false,
  });
}

function withDatabase(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<void> {
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}
