import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { SYSTEM_ACTOR } from '../../src/common/access';
import { loadConfig } from '../../src/config/config';
import { IdentityService } from '../../src/identity/identity.service';
import { MasterKeyRotation } from '../../src/identity/master-key-rotation.service';
import { masterKeyFingerprint } from '../../src/identity/vault-crypto';
import { PersonalValuesService } from '../../src/ledger/personal-values.service';
import { RunningLanterne, startLanterne } from '../../src/server';
import { makeSubscriber } from '../factories/subscriber.factory';
import { runCli } from '../support/run-cli';
import { bearer, createTestDatabase, TestApp, TestClock, testEnvironment } from '../support/test-app';
import { confirm, lastMessageOf, outboxDir, startVerification } from '../support/verification';

const dir = outboxDir();
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;
let client: Client;
const oldKey = () => env.LANTERNE_MASTER_KEY;
const newKey = randomBytes(32).toString('base64');
const newKeyFile = join(dir, 'new.key');

/** Enough of a TestApp for the helpers, on a database that outlives the service. */
async function start(masterKey: string): Promise<{ lanterne: RunningLanterne; app: TestApp }> {
  const environment = { ...env, LANTERNE_MASTER_KEY: masterKey };
  const lanterne = await startLanterne(loadConfig(environment), { clock: new TestClock() });
  const app = {
    lanterne,
    http: request(lanterne.app.getHttpServer() as App),
    adminToken: env.LANTERNE_BOOTSTRAP_TOKEN,
    env: environment,
    sql: async (text: string, params: unknown[] = []) => (await client.query(text, params)).rows,
  } as unknown as TestApp;
  return { lanterne, app };
}

const sql = async (text: string, params: unknown[] = []) => (await client.query(text, params)).rows;

beforeAll(async () => {
  database = await createTestDatabase();
  env = testEnvironment(database.url, { LANTERNE_OUTBOX: `file:${dir}` });
  client = new Client({ connectionString: database.url });
  await client.connect();
  writeFileSync(newKeyFile, newKey);
});
afterAll(async () => {
  await client.end();
  await database.drop();
});

describe('lanterne rotate-master-key', () => {
  it('re-wraps-every-data-key-resumably-leaves-the-ciphertexts-and-the-old-key-is-refused-after', async () => {
    const { lanterne, app } = await start(oldKey());
    const subscriberIds: string[] = [];
    let ledgerIndex: number;
    try {
      const tech = (await app.http.post('/api/v1/users').set(bearer(env.LANTERNE_BOOTSTRAP_TOKEN)).send({ name: 't', roles: ['technician'] })).body.token as string;
      for (let i = 0; i < 5; i++) {
        const subscriber = await makeSubscriber(app, tech);
        const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: `+3247000010${i}`, legalName: `Member ${i}` });
        expect((await confirm(app, tech, v.id, (await lastMessageOf(app, dir, v.id)).code)).status).toBe(200);
        subscriberIds.push(subscriber.id);
      }
      await lanterne.app.get(IdentityService).readFor('a purpose sealed beside the ledger', subscriberIds[0], SYSTEM_ACTOR, { purposeCategory: 'audit' });
      [{ index: ledgerIndex }] = await sql(`SELECT leaf_index::int AS index FROM ledger_personal_values ORDER BY leaf_index DESC LIMIT 1`);

      // Interrupted after its first batch of two: what is done stays done, the old key still serves.
      const rotation = lanterne.app.get(MasterKeyRotation);
      const interrupted = rotation.rotate(Buffer.from(newKey, 'base64'), (phase, done) => {
        if (phase === 'data-keys' && done >= 2) throw new Error('interrupted');
      }, 2);
      await expect(interrupted).rejects.toThrow('interrupted');
      const byKey = await sql(`SELECT master_key, count(*)::int AS n FROM subscriber_data_keys GROUP BY master_key ORDER BY n`);
      expect(byKey).toEqual([
        { master_key: masterKeyFingerprint(Buffer.from(newKey, 'base64')), n: 2 },
        { master_key: masterKeyFingerprint(Buffer.from(oldKey(), 'base64')), n: 3 },
      ]);
    } finally {
      await lanterne.stop();
    }

    const ciphertexts = await sql(`SELECT subscriber_id, legal_name, contact FROM identities ORDER BY subscriber_id`);
    const result = await runCli(['rotate-master-key', '--new-key-file', newKeyFile], env);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/re-wrapped 3 data key\(s\) and re-sealed \d+ ledger value\(s\)/);
    expect(result.stdout).toContain('set LANTERNE_MASTER_KEY');
    expect(await sql(`SELECT subscriber_id, legal_name, contact FROM identities ORDER BY subscriber_id`)).toEqual(ciphertexts);
    expect(await sql(`SELECT DISTINCT master_key FROM subscriber_data_keys`)).toEqual([{ master_key: masterKeyFingerprint(Buffer.from(newKey, 'base64')) }]);

    await expect(start(oldKey())).rejects.toThrow(/LANTERNE_MASTER_KEY is not this instance's current master key/);

    const again = await runCli(['rotate-master-key', '--new-key-file', newKeyFile], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already current');

    const restarted = await start(newKey);
    try {
      const identity = await restarted.lanterne.app.get(IdentityService).readFor('after the rotation', subscriberIds[4], SYSTEM_ACTOR, { purposeCategory: 'audit' });
      expect(identity).toMatchObject({ legalName: 'Member 4', verifiedContact: { value: '+32470000104' } });
      const values = await restarted.lanterne.app.get(PersonalValuesService).read(ledgerIndex, { purpose: 'check the rotation', purposeCategory: 'audit' }, SYSTEM_ACTOR);
      expect(values.values).toEqual([expect.objectContaining({ name: 'purpose', value: 'a purpose sealed beside the ledger' })]);
      const [rotated] = await sql(`SELECT convert_from(leaf, 'UTF8')::jsonb AS leaf FROM ledger_leaves WHERE convert_from(leaf, 'UTF8')::jsonb->>'action' = 'master-key.rotated'`);
      expect(rotated.leaf.refs).toEqual({ from: masterKeyFingerprint(Buffer.from(oldKey(), 'base64')), to: masterKeyFingerprint(Buffer.from(newKey, 'base64')), dataKeys: 3 });
    } finally {
      await restarted.lanterne.stop();
    }
  }, 120_000);
});
