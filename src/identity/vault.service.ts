import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { insertDataKey, insertMasterKey, readMasterKeys, readWrappedDataKey } from './identity.store';
import { masterKeyFingerprint, newDataKey, unwrapDataKey, wrapDataKey } from './vault-crypto';

/** Why the service will not start: the message names the variable, never the key. */
export class MasterKeyMismatchError extends Error {
  constructor(reason: string) {
    super(`LANTERNE_MASTER_KEY ${reason}`);
    this.name = 'MasterKeyMismatchError';
  }
}

/**
 * The per-subscriber data keys, wrapped by the master key. At start the service checks that its
 * master key is the instance's current one (the first start registers it): after a rotation the
 * old key is refused with a clear message instead of failing later on each read.
 */
@Injectable()
export class IdentityVault implements OnApplicationBootstrap {
  readonly fingerprint: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
  ) {
    this.fingerprint = masterKeyFingerprint(keys.masterKey);
  }

  async onApplicationBootstrap(): Promise<void> {
    await insertMasterKey(this.dataSource.manager, this.fingerprint, 'current');
    const keys = await readMasterKeys(this.dataSource.manager);
    const current = keys.find((key) => key.status === 'current');
    if (current?.fingerprint === this.fingerprint) return;
    if (keys.some((key) => key.status === 'next' && key.fingerprint === this.fingerprint)) {
      throw new MasterKeyMismatchError('is the target of a rotation that has not finished: run `lanterne rotate-master-key` again with the current key to finish it');
    }
    throw new MasterKeyMismatchError(
      `is not this instance's current master key (fingerprint ${this.fingerprint}, current ${current?.fingerprint}): it was rotated away or belongs to another instance`,
    );
  }

  /** The subscriber's data key, or null when they have none (never verified, or shredded). */
  async dataKey(em: EntityManager, subscriberId: string): Promise<Buffer | null> {
    const row = await readWrappedDataKey(em, subscriberId);
    if (!row) return null;
    if (row.masterKey !== this.fingerprint) throw new MasterKeyMismatchError('does not wrap this data key: a master key rotation is under way');
    return unwrapDataKey(this.keys.masterKey, subscriberId, row.wrapped);
  }

  /** The subscriber's data key, made on first use; concurrent first uses agree on one. */
  async ensureDataKey(em: EntityManager, subscriberId: string): Promise<Buffer> {
    const existing = await this.dataKey(em, subscriberId);
    if (existing) return existing;
    const key = newDataKey();
    if (await insertDataKey(em, subscriberId, wrapDataKey(this.keys.masterKey, subscriberId, key), this.fingerprint)) return key;
    return (await this.dataKey(em, subscriberId)) as Buffer;
  }
}
