import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { loadAge } from '../../src/backup/age';
import { decodePlaintext, TRAILER_SIZE } from '../../src/backup/backup-archive';
import { SYSTEM_ACTOR } from '../../src/common/access';
import { loadConfig } from '../../src/config/config';
import { IdentityService } from '../../src/identity/identity.service';
import { RunningLanterne, startLanterne } from '../../src/server';
import { assign, makePool } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { runCli } from '../support/run-cli';
import { bearer, createTestApp, createTestDatabase, TestApp, TestClock } from '../support/test-app';
import { confirm, lastMessageOf, memberToken, outboxDir, startVerification } from '../support/verification';

// Two identities of the association, and one of someone else.
const identity = 'AGE-SECRET-KEY-15RKJ6P389KDEPY433U38W3M094DD67SU68K335UNCC50W82KZ95SQA3DZE';
const recipients = 'age1y044hprc47pqvym6wfr8yg0xze2lxk7utslak46rdcynr83mrp6q34swz0,age1h28kvyn42jmcf6q63z52tntzkncpusnzjd3sk5qsldeksdlufdwqklypju';
const stranger = 'AGE-SECRET-KEY-1NH20XMLZ5FWFWU7CCTV9HDCUXC8470J3PAXPZCGK8LZ5D06F7YCQ74J76P';

const outbox = outboxDir();
const work = mkdtempSync(join(tmpdir(), 'lanterne-backup-drill-'));
const archive = join(work, 'lanterne.lbk');
let app: TestApp;
let subscriberId: string;
let member: string;

async function countObjects(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`)).rows[0].n;
  } finally {
    await client.end();
  }
}

/** The environment of a fresh machine restoring into `databaseUrl`: the same keys, brought apart from the archive. */
const restoring = (databaseUrl: string, extra: Record<string, string> = {}) => ({ ...app.env, DATABASE_URL: databaseUrl, LANTERNE_BACKUP_IDENTITY: identity, ...extra });

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${outbox}`, LANTERNE_BACKUP_RECIPIENTS: recipients, LANTERNE_CHECKPOINT_INTERVAL_SECONDS: '0' });
  const tech = await app.tokenFor('technician');
  const subscriber = await makeSubscriber(app, tech);
  subscriberId = subscriber.id;
  const verification = await startVerification(app, tech, subscriberId, { method: 'sms', phone: '+32470123456', legalName: 'Aline Dupont' });
  expect((await confirm(app, tech, verification.id, (await lastMessageOf(app, outbox, verification.id)).code)).status).toBe(200);
  const subscription = await makeSubscription(app, tech, subscriberId);
  const pool = await makePool(app, tech, '192.0.2.0/24', 32);
  expect((await assign(app, tech, subscription.id, { poolId: pool.id })).status).toBe(201);
  await app.lanterne.app.get(IdentityService).readFor('support call before the drill', subscriberId, SYSTEM_ACTOR, { purposeCategory: 'support' });
  member = await memberToken(app, subscriberId);
}, 120_000);
afterAll(() => app.close());

describe('the seizure drill in production mode', () => {
  let backedUp: { code: number | null; stdout: string; stderr: string };
  beforeAll(async () => {
    backedUp = await runCli(['backup', '--out', archive], app.env);
  }, 120_000);

  it('writes-one-archive-that-decrypted-holds-the-four-sections-and-never-the-master-key', async () => {
    expect(backedUp.stderr).not.toMatch(/error/i);
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toMatch(/^wrote .*lanterne\.lbk \(\d+ bytes, ledger checkpoint of \d+ entries\)/);
    const bytes = readFileSync(archive);
    const age = await loadAge();
    const decrypter = new age.Decrypter();
    decrypter.addIdentity(identity);
    const plaintext = Buffer.from(await decrypter.decrypt(bytes.subarray(0, bytes.length - TRAILER_SIZE)));
    const sections = new Map<string, Buffer>();
    let current = '';
    for await (const event of decodePlaintext((async function* () {
      yield plaintext;
    })())) {
      if (event.kind === 'section') sections.set((current = event.name), Buffer.alloc(0));
      if (event.kind === 'data') sections.set(current, Buffer.concat([sections.get(current) as Buffer, event.bytes]));
    }
    expect([...sections.keys()]).toEqual(['manifest.json', 'config.json', 'checkpoint.json', 'database']);
    const manifest = JSON.parse((sections.get('manifest.json') as Buffer).toString());
    expect(manifest).toMatchObject({ format: 'lanterne-backup', version: 1, mode: 'production', database: { format: 'pg_dump-custom', role: 'postgres' } });
    // The dump is compressed: its SQL, as pg_restore prints it, is searched too.
    const dumpFile = join(work, 'dump');
    writeFileSync(dumpFile, sections.get('database') as Buffer);
    const sql = execFileSync('pg_restore', ['--file=-', dumpFile], { maxBuffer: 256 * 1024 * 1024 });
    expect(sql.toString()).toContain('ledger_leaves');
    const masterKey = Buffer.from(app.env.LANTERNE_MASTER_KEY, 'base64');
    for (const haystack of [plaintext, sql]) {
      for (const needle of [masterKey, Buffer.from(masterKey.toString('base64')), Buffer.from(masterKey.toString('hex')), Buffer.from(masterKey.toString('base64url'))]) {
        expect(haystack.includes(needle)).toBe(false);
      }
      expect(haystack.includes(Buffer.from(app.env.LANTERNE_SIGNING_KEY))).toBe(false);
    }
  });

  it('records-the-backup-in-the-ledger-with-its-size-and-checkpoint-and-no-path', async () => {
    const [entry] = await app.sql<{ leaf: Buffer }>(`SELECT leaf FROM ledger_leaves ORDER BY index DESC LIMIT 1`);
    const leaf = JSON.parse(entry.leaf.toString());
    expect(leaf.action).toBe('backup.written');
    expect(leaf.refs).toEqual({ bytes: readFileSync(archive).length, treeSize: expect.any(Number), databaseFormat: 'pg_dump-custom', scheduled: false });
    expect(entry.leaf.toString()).not.toContain(work);
  });

  it('restores-into-a-new-database-where-the-ledger-verifies-and-the-member-reads-the-same', async () => {
    const before = await app.lanterne.app.get(IdentityService).readFor('drill: before', subscriberId, SYSTEM_ACTOR, { purposeCategory: 'audit' });
    const subscriberBefore = (await app.http.get(`/api/v1/subscribers/${subscriberId}`).set(bearer(app.adminToken))).body;
    const target = await createTestDatabase();
    let restored: RunningLanterne | null = null;
    try {
      const result = await runCli(['restore', archive], restoring(target.url));
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('ledger verified');
      expect(result.stdout).toMatch(/consistent with the archived checkpoint: \d+ entries/);

      restored = await startLanterne(loadConfig({ ...app.env, DATABASE_URL: target.url, LANTERNE_QUEUE_PREFIX: `${app.env.LANTERNE_QUEUE_PREFIX}r` }), { clock: new TestClock() });
      const http = request(restored.app.getHttpServer() as App);
      const verify = await http.get('/api/v1/ledger/verify').set(bearer(app.adminToken));
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({ ok: true });
      // The archived checkpoint (what members saved) and the restored tree: same root at its size, and a consistency proof.
      const archivedSize = Number(/checkpoint: (\d+) entries/.exec(result.stdout)?.[1]);
      const originalRoot = await app.http.get(`/api/v1/ledger/proofs/consistency?first=${archivedSize}&second=${archivedSize}`);
      expect(originalRoot.status).toBe(200);
      const proof = await http.get(`/api/v1/ledger/proofs/consistency?first=${archivedSize}&second=${verify.body.treeSize}`);
      expect(proof.status).toBe(200);

      expect((await http.get('/api/v1/me').set(bearer(member))).body).toMatchObject({ subscriberId });
      expect((await http.get(`/api/v1/subscribers/${subscriberId}`).set(bearer(app.adminToken))).body).toEqual(subscriberBefore);
      const after = await restored.app.get(IdentityService).readFor('drill: after', subscriberId, SYSTEM_ACTOR, { purposeCategory: 'audit' });
      expect(after).toEqual(before);
      expect(after).toMatchObject({ legalName: 'Aline Dupont' });
    } finally {
      await restored?.stop();
      await target.drop();
    }
  }, 120_000);

  it('refuses-an-archive-with-one-byte-altered-before-decrypting-and-restores-nothing', async () => {
    const tampered = join(work, 'tampered.lbk');
    const bytes = readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(tampered, bytes);
    const target = await createTestDatabase();
    try {
      const result = await runCli(['restore', tampered], restoring(target.url));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("the archive's signature does not verify against the ledger's public key");
      expect(await countObjects(target.url)).toBe(0);
    } finally {
      await target.drop();
    }
  });

  it('refuses-a-file-that-is-not-an-archive', async () => {
    const notOne = join(work, 'notes.txt');
    writeFileSync(notOne, 'PGDMP and some bytes that are not an archive of ours, long enough to hold a trailer of seventy-two bytes');
    const target = await createTestDatabase();
    try {
      const result = await runCli(['restore', notOne], restoring(target.url));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('does not end with a Lanterne signature');
      expect(await countObjects(target.url)).toBe(0);
    } finally {
      await target.drop();
    }
  });

  it('refuses-a-target-that-is-not-empty', async () => {
    const result = await runCli(['restore', archive], restoring(app.databaseUrl));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the database at DATABASE_URL is not empty \(\d+ objects\)/);
  });

  it('refuses-an-age-identity-that-is-not-a-recipient', async () => {
    const target = await createTestDatabase();
    try {
      const result = await runCli(['restore', archive], restoring(target.url, { LANTERNE_BACKUP_IDENTITY: stranger }));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('none of the age identities given is a recipient of this archive');
      expect(await countObjects(target.url)).toBe(0);
    } finally {
      await target.drop();
    }
  });

  it('refuses-an-archive-signed-by-another-ledger-key', async () => {
    const target = await createTestDatabase();
    try {
      const otherKey = 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';
      const result = await runCli(['restore', archive, '--public-key', otherKey], restoring(target.url));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('signature does not verify');
    } finally {
      await target.drop();
    }
  });
});
