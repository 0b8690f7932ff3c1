import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import type { App } from 'supertest/types';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/config';
import { RunningLanterne, startLanterne } from '../../src/server';

export const TEST_PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A clock the tests move by hand. */
export class TestClock extends Clock {
  constructor(private current = new Date('2026-06-01T12:00:00Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: string | Date): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Each test file gets its own database, so runs never share state. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `lanterne_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      const client = new Client({ connectionString: TEST_PG });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestApp {
  lanterne: RunningLanterne;
  http: ReturnType<typeof request>;
  /** Bearer token of the bootstrap admin. */
  adminToken: string;
  clock: TestClock;
  databaseUrl: string;
  /** The environment the service was started with, to run the `lanterne` command against the same instance. */
  env: Record<string, string>;
  /** A direct connection to the test database, to check what was (not) written. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Creates an account with the given roles and returns its token. */
  tokenFor(...roles: string[]): Promise<string>;
  close(): Promise<void>;
}

/** A production-mode environment of fresh keys, admin token and queue prefix, on the given database. */
export function testEnvironment(databaseUrl: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS,
    LANTERNE_QUEUE_PREFIX: `t${randomBytes(6).toString('hex')}`,
    LANTERNE_MASTER_KEY: randomBytes(32).toString('base64'),
    LANTERNE_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    LANTERNE_BOOTSTRAP_TOKEN: `test-admin-${randomBytes(16).toString('hex')}`,
    LANTERNE_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  };
}

/**
 * The real service (real PostgreSQL, real Redis, real HTTP) with only the clock replaced. `env`
 * may be a function of the test database's URL (to reach it through something in between).
 */
export async function createTestApp(
  env: Record<string, string> | ((databaseUrl: string) => Record<string, string>) = {},
  options: { logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = new TestClock();
  const environment = testEnvironment(database.url, typeof env === 'function' ? env(database.url) : env);
  const adminToken = environment.LANTERNE_BOOTSTRAP_TOKEN;
  const config = loadConfig(environment);
  let lanterne: RunningLanterne;
  try {
    lanterne = await startLanterne(config, { clock, logDestination: options.logDestination });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const client = new Client({ connectionString: database.url });
  await client.connect();
  const http = request(lanterne.app.getHttpServer() as App);
  return {
    lanterne,
    http,
    adminToken,
    clock,
    databaseUrl: database.url,
    env: environment,
    async sql<T>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as T[];
    },
    async tokenFor(...roles: string[]) {
      const response = await http.post('/api/v1/users').set('authorization', `Bearer ${adminToken}`).send({ name: `test ${roles.join('+')}`, roles });
      if (response.status !== 201) throw new Error(`cannot create a ${roles.join('+')} account: ${response.status} ${response.text}`);
      return response.body.token as string;
    },
    async close() {
      await client.end();
      await lanterne.stop();
      await database.drop();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
