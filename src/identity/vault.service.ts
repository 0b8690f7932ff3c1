import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { MasterKeyMismatchError } from './master-key-check';
import { insertDataKey, readWrappedDataKey } from './identity.store';
import { masterKeyFingerprint, newDataKey, unwrapDataKey, wrapDataKey } from './vault-crypto';

/**
 * The per-subscriber data keys, wrapped by the master key (which start-up has checked is the
 * instance's current one: master-key-check.ts).
 */
@Injectable()
export class IdentityVault {
  readonly fingerprint: string;

  constructor(@Inject(KEY_MATERIAL) private readonly keys: KeyMaterial) {
    this.fingerprint = masterKeyFingerprint(keys.masterKey);
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
