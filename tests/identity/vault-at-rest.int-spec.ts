import { execFileSync } from 'node:child_process';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../src/common/access';
import { IdentityService } from '../../src/identity/identity.service';
import { IdentityVault } from '../../src/identity/vault.service';
import { RetentionPurgers } from '../../src/privacy/retention-purgers';
import { makeSubscriber } from '../factories/subscriber.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { confirm, lastMessageOf, outboxDir, startVerification, wrongCode } from '../support/verification';

const dir = outboxDir();
let app: TestApp;
let tech: string;
let identities: IdentityService;
let dataSource: DataSource;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  tech = await app.tokenFor('technician');
  identities = app.lanterne.app.get(IdentityService);
  dataSource = app.lanterne.app.get(DataSource);
});
afterAll(() => app.close());

const DAY = 86_400_000;
const readIdentity = (subscriberId: string) => identities.readFor('test: what the vault holds', subscriberId, SYSTEM_ACTOR, { purposeCategory: 'audit' });

async function verifiedBySms(phone: string, legalName: string): Promise<string> {
  const subscriber = await makeSubscriber(app, tech);
  const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone, legalName });
  expect((await confirm(app, tech, v.id, (await lastMessageOf(app, dir, v.id)).code)).status).toBe(200);
  return subscriber.id;
}

function purge(category: 'identity' | 'unconfirmed-verifications', keepDays: number) {
  const purger = app.lanterne.app.get(RetentionPurgers).registry.get(category);
  return dataSource.transaction((em) => purger({ em, now: app.clock.now(), keepDays }));
}

describe('what a stolen dump reveals', () => {
  it('a-pg-dump-of-a-database-holding-identities-shows-no-name-phone-address-or-code-in-clear', async () => {
    const secrets: string[] = [];
    const codes: string[] = [];
    for (const [i, name] of ['Zoé Lambertin', 'Quentin Vandermeulen'].entries()) {
      await verifiedBySms(`+32 471 55 66 7${i}`, name);
      secrets.push(name, `+3247155667${i}`, `471 55 66 7${i}`);
    }
    const postal = await makeSubscriber(app, tech);
    const address = { line1: 'Chemin des Aubépines 42', line2: 'Boîte Sept', postalCode: '1340', city: 'Ottignies-Louvain-la-Neuve', country: 'BE' };
    const verified = await startVerification(app, tech, postal.id, { method: 'postal', legalName: 'Wendy Oosterlinck', address });
    expect((await confirm(app, tech, verified.id, (await lastMessageOf(app, dir, verified.id)).code)).status).toBe(200);
    secrets.push('Wendy Oosterlinck', 'Aubépines', 'Boîte Sept', 'Ottignies');
    // Pending ones hold their code and contact (sealed) until they end; a locked one has erased them.
    const pending = await startVerification(app, tech, postal.id, { method: 'postal', legalName: 'Yannick Ceulemans', address: { ...address, line1: 'Avenue des Mélèzes 9' } });
    codes.push((await lastMessageOf(app, dir, pending.id)).code);
    secrets.push('Yannick Ceulemans', 'Mélèzes');
    const smsPending = await makeSubscriber(app, tech);
    const inFlight = await startVerification(app, tech, smsPending.id, { method: 'sms', phone: '+33 7 81 22 33 44', legalName: 'Xavier Delacroix-Fontaine' });
    const inFlightCode = (await lastMessageOf(app, dir, inFlight.id)).code;
    codes.push(inFlightCode);
    secrets.push('+33781223344', 'Xavier Delacroix');
    await confirm(app, tech, inFlight.id, wrongCode(inFlightCode));
    await readIdentity(postal.id);

    const name = new URL(app.databaseUrl).pathname.slice(1);
    const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--no-owner', name], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    // The dump is a real one: operational data is there in clear, the vault's is not.
    expect(dump).toContain(postal.email);
    expect(dump).toContain('COPY public.identities');
    expect(dump).toContain('COPY public.verifications');
    // In clear in a text column, or in clear inside a bytea one (which the dump writes in hex): the
    // ledger's leaves, sealed values and outbox rows are all searched alike.
    const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
    expect(dump).toContain(hex('"action":"verification.confirmed"'));
    for (const secret of secrets) {
      expect(dump.includes(secret)).toBe(false);
      expect(dump.includes(hex(secret))).toBe(false);
    }
    // A code in clear would stand alone (in quotes or a column), not inside the hex of a ciphertext.
    for (const code of codes) {
      expect(dump).not.toMatch(new RegExp(`(?<![0-9a-f])${code}(?![0-9a-f])`));
      expect(dump.includes(hex(code))).toBe(false);
    }
  });
});

describe('bound where it belongs', () => {
  it('a-data-key-and-ciphertext-copied-to-another-subscriber-do-not-open-there', async () => {
    const alice = await verifiedBySms('+32472000001', 'Alice Aerts');
    const bob = await verifiedBySms('+32472000002', 'Bob Bogaerts');
    await app.sql(
      `UPDATE subscriber_data_keys b SET wrapped = a.wrapped FROM subscriber_data_keys a WHERE a.subscriber_id = $1 AND b.subscriber_id = $2`,
      [alice, bob],
    );
    await app.sql(`UPDATE identities b SET contact = a.contact, legal_name = a.legal_name FROM identities a WHERE a.subscriber_id = $1 AND b.subscriber_id = $2`, [alice, bob]);
    await expect(readIdentity(bob)).rejects.toThrow();
    expect(await readIdentity(alice)).toMatchObject({ legalName: 'Alice Aerts' });
  });

  it('a-ciphertext-moved-to-another-field-of-its-own-row-does-not-open-there', async () => {
    const carla = await verifiedBySms('+32472000003', 'Carla Claes');
    await app.sql(`UPDATE identities SET legal_name = contact WHERE subscriber_id = $1`, [carla]);
    await expect(readIdentity(carla)).rejects.toThrow();
  });

  it('records-every-read-in-the-ledger-in-the-same-transaction-with-its-purpose-sealed', async () => {
    const dirk = await verifiedBySms('+32472000004', 'Dirk Dumont');
    await identities.readFor('export of my data', dirk, { ...SYSTEM_ACTOR, role: 'member' }, { purposeCategory: 'member-request' });
    const [entry] = await app.sql<{ leaf: { action: string; subject: string; purposeCategory: string; personal: Record<string, string> } }>(
      `SELECT convert_from(leaf, 'UTF8')::jsonb AS leaf FROM ledger_leaves WHERE subject = $1 ORDER BY index DESC LIMIT 1`,
      [dirk],
    );
    expect(entry.leaf).toMatchObject({ action: 'identity.read', subject: dirk, purposeCategory: 'member-request', personal: { purpose: expect.any(String) } });
    expect(JSON.stringify(entry.leaf)).not.toContain('Dirk');
  });
});

describe('retention', () => {
  it('crypto-shreds-the-identity-of-a-member-terminated-longer-ago-than-the-policy-and-a-backup-of-its-ciphertext-no-longer-opens', async () => {
    const start = app.clock.now();
    try {
      const kept = await verifiedBySms('+32473000001', 'Kept Member');
      const gone = await verifiedBySms('+32473000002', 'Gone Member');
      const pending = await startVerification(app, tech, gone, { method: 'sms', phone: '+32473000003' });
      await app.http.post(`/api/v1/subscribers/${gone}/terminate`).set(bearer(tech)).send({});
      app.clock.advance(200 * DAY);
      await app.http.post(`/api/v1/subscribers/${kept}/terminate`).set(bearer(tech)).send({});
      const backup = await app.sql(`SELECT * FROM identities WHERE subscriber_id = $1`, [gone]);
      app.clock.advance(200 * DAY);

      const result = await purge('identity', 365);
      expect(result).toEqual({ count: 1, erasedSubjects: [gone] });
      expect(await app.sql(`SELECT 1 FROM subscriber_data_keys WHERE subscriber_id = $1`, [gone])).toEqual([]);
      expect(await app.sql(`SELECT 1 FROM identities WHERE subscriber_id = $1`, [gone])).toEqual([]);
      expect(await app.sql(`SELECT 1 FROM verifications WHERE id = $1`, [pending.id])).toEqual([]);
      expect(await readIdentity(gone)).toBeNull();
      expect(await readIdentity(kept)).toMatchObject({ legalName: 'Kept Member' });

      // The backup put back: whatever data key the subscriber is given now, that ciphertext stays shut.
      await dataSource.transaction((em) => app.lanterne.app.get(IdentityVault).ensureDataKey(em, gone));
      const [row] = backup;
      await app.sql(`INSERT INTO identities (subscriber_id, legal_name, contact_method, contact, verified_at, verification_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
        row.subscriber_id,
        row.legal_name,
        row.contact_method,
        row.contact,
        row.verified_at,
        row.verification_id,
      ]);
      await expect(readIdentity(gone)).rejects.toThrow();
      expect((await purge('identity', 365)).count).toBe(1);
    } finally {
      app.clock.set(start);
    }
  });

  it('a-retention-run-shreds-the-identity-and-erases-the-ledger-values-about-the-member', async () => {
    const start = app.clock.now();
    try {
      const member = await verifiedBySms('+32473000010', 'Run Member');
      await readIdentity(member);
      await app.http.post(`/api/v1/subscribers/${member}/terminate`).set(bearer(tech)).send({});
      app.clock.advance(366 * DAY);
      const run = await app.http.post('/api/v1/admin/retention/run').set(bearer(app.adminToken));
      expect(run.status).toBe(200);
      expect(run.body.purged.identity).toBeGreaterThanOrEqual(1);
      expect(await app.sql(`SELECT 1 FROM subscriber_data_keys WHERE subscriber_id = $1`, [member])).toEqual([]);
      const held = await app.sql(`SELECT p.sealed FROM ledger_personal_values p JOIN ledger_leaves l ON l.index = p.leaf_index WHERE l.subject = $1`, [member]);
      expect(held.length).toBeGreaterThan(0);
      expect(held.every((row) => row.sealed === null)).toBe(true);
    } finally {
      app.clock.set(start);
    }
  });

  it('deletes-unconfirmed-verifications-at-expiry-and-keeps-pending-and-verified-ones', async () => {
    const start = app.clock.now();
    try {
      const subscriber = await makeSubscriber(app, tech);
      const unconfirmed = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32474000001' });
      const verified = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32474000002' });
      expect((await confirm(app, tech, verified.id, (await lastMessageOf(app, dir, verified.id)).code)).status).toBe(200);
      app.clock.advance(15 * 60_000 - 1000);
      const stillPending = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32474000003' });
      app.clock.advance(1001);
      const result = await purge('unconfirmed-verifications', 0);
      expect(result).toEqual({ count: expect.any(Number) });
      expect(result.count).toBeGreaterThanOrEqual(1);
      const left = (await app.sql<{ id: string }>(`SELECT id FROM verifications WHERE subscriber_id = $1`, [subscriber.id])).map((r) => r.id).sort();
      expect(left).toEqual([verified.id, stillPending.id].sort());
      expect(left).not.toContain(unconfirmed.id);
    } finally {
      app.clock.set(start);
    }
  });
});
