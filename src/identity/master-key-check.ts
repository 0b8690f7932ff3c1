import { DataSource, EntityManager } from 'typeorm';
import { dataSourceOptions } from '../database/data-source-options';
import { insertMasterKey, readMasterKeys } from './identity.store';
import { masterKeyFingerprint } from './vault-crypto';

/** Why the service will not start: the message names the variable, never the key. */
export class MasterKeyMismatchError extends Error {
  constructor(reason: string) {
    super(`LANTERNE_MASTER_KEY ${reason}`);
    this.name = 'MasterKeyMismatchError';
  }
}

/**
 * Refuses a master key that is not the instance's current one, before anything else starts: after a
 * rotation the old key stops here with a clear message instead of failing later on each read. The
 * first start registers its key as the current one.
 */
export async function checkMasterKey(em: EntityManager, masterKey: Buffer): Promise<void> {
  const fingerprint = masterKeyFingerprint(masterKey);
  await insertMasterKey(em, fingerprint, 'current');
  const keys = await readMasterKeys(em);
  const current = keys.find((key) => key.status === 'current');
  if (current?.fingerprint === fingerprint) return;
  if (keys.some((key) => key.status === 'next' && key.fingerprint === fingerprint)) {
    throw new MasterKeyMismatchError('is the target of a rotation that has not finished: run `lanterne rotate-master-key` again with the current key to finish it');
  }
  throw new MasterKeyMismatchError(
    `is not this instance's current master key (fingerprint ${fingerprint}, current ${current?.fingerprint}): it was rotated away or belongs to another instance`,
  );
}

/** `checkMasterKey` on a connection of its own, for start-up (migrated database, before Nest starts). */
export async function assertCurrentMasterKey(databaseUrl: string, masterKey: Buffer): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, 1));
  await dataSource.initialize();
  try {
    await checkMasterKey(dataSource.manager, masterKey);
  } finally {
    await dataSource.destroy();
  }
}
