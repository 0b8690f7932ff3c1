import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Client } from 'pg';
import { ROOT, runCli } from '../support/run-cli';
import { createTestDatabase, TEST_REDIS } from '../support/test-app';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS,
    LANTERNE_QUEUE_PREFIX: `t${randomBytes(6).toString('hex')}`,
    LANTERNE_MASTER_KEY: randomBytes(32).toString('base64'),
    LANTERNE_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
  };
});
afterAll(() => database.drop());

async function query(text: string, params: unknown[] = []) {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

describe('lanterne command', () => {
  it('version-prints-the-package-version', async () => {
    const result = await runCli(['--version'], {});
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version);
  });

  it('migrate-applies-the-migrations-once', async () => {
    const first = await runCli(['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('applied:');
    expect(await query(`SELECT to_regclass('public.subscribers') AS t`)).toEqual([{ t: 'subscribers' }]);
    const second = await runCli(['migrate'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('database is up to date');
  });

  it('create-admin-prints-a-token-that-is-stored-only-as-its-hash', async () => {
    const result = await runCli(['create-admin', '--name', 'Night shift'], env);
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^lnt_[A-Za-z0-9_-]{43}$/);
    const rows = await query(`SELECT name, roles FROM accounts WHERE token_hash = $1`, [createHash('sha256').update(token).digest()]);
    expect(rows).toEqual([{ name: 'Night shift', roles: ['admin'] }]);
  });

  it('create-admin-without-a-name-fails-and-says-why', async () => {
    const result = await runCli(['create-admin'], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--name');
  });
});

describe('lanterne health', () => {
  it('fails-for-a-worker-that-never-beat-and-passes-once-it-has', async () => {
    const before = await runCli(['health', '--worker'], env);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('no heartbeat');
    await query(`INSERT INTO worker_heartbeats (worker, seen_at) VALUES ($1, now())`, [`${hostname()}:1`]);
    const after = await runCli(['health', '--worker'], env);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('last heartbeat');
  });

  it('fails-when-no-api-answers-on-the-port', async () => {
    const result = await runCli(['health'], { ...env, PORT: '1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('unreachable');
  });
});
