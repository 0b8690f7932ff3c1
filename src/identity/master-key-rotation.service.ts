import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../common/access';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { LedgerService } from '../ledger/ledger.service';
import { PersonalValuesService } from '../ledger/personal-values.service';
import { countDataKeysWrappedBy, dataKeysWrappedBy, insertMasterKey, promoteNextMasterKey, readMasterKeys, rewrapDataKeys } from './identity.store';
import { MasterKeyWrappedRegistry } from './master-key-wrapped';
import { masterKeyFingerprint, unwrapDataKey, wrapDataKey } from './vault-crypto';

export type RotationProgress = (phase: 'data-keys' | 'ledger-values', done: number, total: number) => void;

export interface RotationReport {
  dataKeys: number;
  ledgerValues: number;
  from: string;
  to: string;
}

/**
 * `lanterne rotate-master-key`: every data key re-wrapped under the new master key (the vault's and
 * those other contexts register in MasterKeyWrappedRegistry, such as legal requests' keys), the
 * ciphertexts they sealed untouched; the ledger's personal values (sealed under the master key itself) re-sealed.
 * Each batch commits on its own, so an interrupted run resumes where it stopped: what is left is what
 * the old key still wraps. The last step makes the new key current and drops the old one, which the
 * service then refuses at start.
 */
@Injectable()
export class MasterKeyRotation {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
    private readonly personalValues: PersonalValuesService,
    private readonly ledger: LedgerService,
    private readonly wrapped: MasterKeyWrappedRegistry,
  ) {}

  async rotate(newKey: Buffer, progress: RotationProgress = () => undefined, batchSize = 500): Promise<RotationReport> {
    const oldKey = this.keys.masterKey;
    const from = masterKeyFingerprint(oldKey);
    const to = masterKeyFingerprint(newKey);
    if (from === to) throw new Error('the new master key is the current one: generate a new key (32 random bytes, base64)');
    await this.dataSource.transaction(async (em) => {
      const next = (await readMasterKeys(em)).find((key) => key.status === 'next');
      if (next && next.fingerprint !== to) {
        throw new Error(`a rotation to another key (fingerprint ${next.fingerprint}) is under way: finish it with that key`);
      }
      await insertMasterKey(em, to, 'next');
    });

    const holders = this.wrapped.all();
    let total = await countDataKeysWrappedBy(this.dataSource.manager, from);
    for (const holder of holders) total += await holder.countWrappedBy(this.dataSource.manager, from);
    let dataKeys = 0;
    progress('data-keys', 0, total);
    for (;;) {
      const done = await this.dataSource.transaction(async (em) => {
        const batch = await dataKeysWrappedBy(em, from, batchSize);
        const rewrapped = batch.map((row) => ({
          subscriberId: row.subscriber_id,
          wrapped: wrapDataKey(newKey, row.subscriber_id, unwrapDataKey(oldKey, row.subscriber_id, row.wrapped)),
        }));
        if (rewrapped.length > 0) await rewrapDataKeys(em, rewrapped, to);
        return rewrapped.length;
      });
      if (done === 0) break;
      dataKeys += done;
      progress('data-keys', dataKeys, Math.max(total, dataKeys));
    }
    for (const holder of holders) {
      for (;;) {
        const done = await this.dataSource.transaction((em) => holder.rewrap(em, { from, to, oldKey, newKey, limit: batchSize }));
        if (done === 0) break;
        dataKeys += done;
        progress('data-keys', dataKeys, Math.max(total, dataKeys));
      }
    }

    const ledgerValues = await this.personalValues.resealUnder(oldKey, newKey, (done, all) => progress('ledger-values', done, all), batchSize);

    await this.dataSource.transaction(async (em) => {
      await promoteNextMasterKey(em, from);
      await this.ledger.record(em, { actor: SYSTEM_ACTOR, action: 'master-key.rotated', refs: { from, to, dataKeys } });
    });
    return { dataKeys, ledgerValues, from, to };
  }
}
