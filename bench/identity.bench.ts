import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SystemClock } from '../src/common/clock';
import { loadConfig } from '../src/config/config';
import { IdentityRetention } from '../src/identity/identity-retention';
import { checkMasterKey } from '../src/identity/master-key-check';
import { MasterKeyRotation } from '../src/identity/master-key-rotation.service';
import { MasterKeyWrappedRegistry } from '../src/identity/master-key-wrapped';
import { masterKeyFingerprint, newDataKey, sealIdentityField, wrapDataKey } from '../src/identity/vault-crypto';
import { AfterCommit } from '../src/database/after-commit';
import { CheckpointService } from '../src/ledger/checkpoint.service';
import { LedgerReader } from '../src/ledger/ledger-reader.service';
import { LedgerService } from '../src/ledger/ledger.service';
import { PersonalValuesService } from '../src/ledger/personal-values.service';
import { RetentionPurgers } from '../src/privacy/retention-purgers';
import type { SubscribersService } from '../src/subscribers/subscribers.service';
import { durationMs, reportFigure, reportRatio, withMigratedDatabase } from './support';

/** Overridable so that the bench can run small: BENCH_IDENTITY_SUBSCRIBERS=1000 npm run bench identity. */
const SUBSCRIBERS = Number(process.env.BENCH_IDENTITY_SUBSCRIBERS ?? 10_000);
const DAY = 86_400_000;

/**
 * The vault on a database of its own: crypto-shredding the identities of SUBSCRIBERS terminated
 * members (the retention purger: their data keys deleted, the sealed rows going with them) against a
 * plain DELETE of the same kind of rows; re-wrapping SUBSCRIBERS data keys under a new master key
 * against an UPDATE that rewrites the same rows with bytes already computed.
 */
export async function run(): Promise<void> {
  await withMigratedDatabase(async (dataSource) => {
    const keys = { masterKey: randomBytes(32), signingKey: generateKeyPairSync('ed25519').privateKey };
    await checkMasterKey(dataSource.manager, keys.masterKey);
    const now = new Date();

    const shredded = await populate(dataSource, keys.masterKey, new Date(now.getTime() - 800 * DAY));
    const deleted = await populate(dataSource, keys.masterKey, new Date(now.getTime() - 400 * DAY));
    // Only what the purger reads of the subscribers context: who was terminated before a date.
    const subscribers = {
      terminatedBefore: async (_: unknown, before: Date) =>
        ((await dataSource.query(`SELECT id FROM subscribers WHERE status = 'terminated' AND terminated_at < $1`, [before])) as { id: string }[]).map((r) => r.id),
    } as unknown as SubscribersService;
    const retention = new IdentityRetention(new RetentionPurgers(), subscribers);
    let count = 0;
    const shred = await durationMs(async () => {
      count = (await dataSource.transaction((em) => retention.shredIdentities({ em, now, keepDays: 600 }))).count;
    });
    if (count !== shredded.length) throw new Error(`shredded ${count} identities instead of ${shredded.length}`);
    const plainDelete = await durationMs(() =>
      dataSource.transaction(async (em) => {
        await em.query(`DELETE FROM identities WHERE subscriber_id = ANY($1::uuid[])`, [deleted]);
        await em.query(`DELETE FROM verifications WHERE subscriber_id = ANY($1::uuid[])`, [deleted]);
      }),
    );
    reportRatio(
      `crypto-shredding ${SUBSCRIBERS} identities (retention purger) against deleting the same rows`,
      { label: 'shred: find the terminated, delete their sealed rows and data keys', ms: shred },
      { label: 'DELETE of the same sealed rows, given their ids, keys kept', ms: plainDelete },
      // The difference: finding the terminated members, and PostgreSQL checking row by row that no
      // sealed row outlives its data key (the foreign keys that make a forgotten ciphertext impossible).
      8,
    );
    reportFigure('crypto-shredding per identity', `${((shred / SUBSCRIBERS) * 1000).toFixed(1)} µs`);

    await benchRewrap(dataSource, keys, deleted.length);
  });
}

async function benchRewrap(dataSource: DataSource, keys: { masterKey: Buffer; signingKey: ReturnType<typeof generateKeyPairSync>['privateKey'] }, dataKeys: number): Promise<void> {
  const clock = new SystemClock();
  const checkpoints = new CheckpointService(dataSource, new LedgerReader(dataSource), clock, keys, loadConfig({}), new AfterCommit(dataSource));
  const ledger = new LedgerService(clock, keys, checkpoints);
  const rotation = new MasterKeyRotation(dataSource, keys, new PersonalValuesService(dataSource, keys, clock, ledger), ledger, new MasterKeyWrappedRegistry());
  const rows: { subscriber_id: string; wrapped: Buffer; master_key: string }[] = await dataSource.query(`SELECT subscriber_id, wrapped, master_key FROM subscriber_data_keys`);
  const baseline = await durationMs(() =>
    dataSource.transaction((em) =>
      em.query(
        `UPDATE subscriber_data_keys k SET wrapped = r.wrapped, master_key = r.master_key
           FROM unnest($1::uuid[], $2::bytea[], $3::text[]) AS r (subscriber_id, wrapped, master_key) WHERE k.subscriber_id = r.subscriber_id`,
        [rows.map((r) => r.subscriber_id), rows.map((r) => r.wrapped), rows.map((r) => r.master_key)],
      ),
    ),
  );
  let report = { dataKeys: 0 };
  const rewrap = await durationMs(async () => {
    report = await rotation.rotate(randomBytes(32));
  });
  if (report.dataKeys !== dataKeys) throw new Error(`re-wrapped ${report.dataKeys} data keys instead of ${dataKeys}`);
  reportRatio(
    `re-wrapping ${dataKeys} data keys under a new master key (batches of 500, each its own transaction)`,
    { label: 'lanterne rotate-master-key', ms: rewrap },
    { label: 'one UPDATE of the same rows, bytes given', ms: baseline },
    10,
  );
  reportFigure('re-wrapping per data key', `${((rewrap / dataKeys) * 1000).toFixed(1)} µs`);
}

/** SUBSCRIBERS terminated members, each with a data key and a sealed identity, inserted in bulk. */
async function populate(dataSource: DataSource, masterKey: Buffer, terminatedAt: Date): Promise<string[]> {
  const ids = Array.from({ length: SUBSCRIBERS }, () => randomUUID());
  const fingerprint = masterKeyFingerprint(masterKey);
  const keys = ids.map(() => newDataKey());
  const [{ base }] = await dataSource.query(`SELECT coalesce(max(member_number), 0) AS base FROM subscribers`);
  await dataSource.transaction(async (em) => {
    await em.query(
      `INSERT INTO subscribers (id, member_number, display_name, email, status, terminated_at)
       SELECT id, $2::int + n, 'Member ' || n, 'member' || n || '@example.org', 'terminated', $3 FROM unnest($1::uuid[]) WITH ORDINALITY AS t (id, n)`,
      [ids, base, terminatedAt],
    );
    await em.query(`INSERT INTO subscriber_data_keys (subscriber_id, wrapped, master_key) SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::text[])`, [
      ids,
      ids.map((id, i) => wrapDataKey(masterKey, id, keys[i])),
      ids.map(() => fingerprint),
    ]);
    await em.query(
      `INSERT INTO identities (subscriber_id, legal_name, contact_method, contact, verified_at, verification_id)
       SELECT s, n, 'sms', c, now(), gen_random_uuid() FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS t (s, n, c)`,
      [ids, ids.map((id, i) => sealIdentityField(keys[i], id, 'legal_name', `Legal Name ${i}`)), ids.map((id, i) => sealIdentityField(keys[i], id, 'contact', `+3247${String(i).padStart(7, '0')}`))],
    );
  });
  return ids;
}

