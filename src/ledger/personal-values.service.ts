import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { PersonalValuesView, PersonalValueView, PurposeQuery } from './ledger.schemas';
import { LedgerService } from './ledger.service';
import { erasePersonalValuesAbout, readLeaf, readPersonalValues } from './ledger.store';
import { openPersonalValue } from './personal-values';

/**
 * The personal values committed in ledger entries: read with a purpose (the read is itself recorded),
 * erased by retention. Erasing removes the value and its salt; the commitment stays in the leaf, so
 * every hash of the tree stays valid.
 */
@Injectable()
export class PersonalValuesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {}

  /** The values of one entry with their salts, so that the reader can check them against the leaf. */
  async read(index: number, { purpose, purposeCategory }: PurposeQuery, actor: Actor): Promise<PersonalValuesView> {
    return this.dataSource.transaction(async (em) => {
      const leaf = await readLeaf(em, index);
      if (!leaf) throw new LedgerError(LedgerErrorCode.EntryNotFound, `The ledger has no entry ${index}.`);
      const { subject, personal } = JSON.parse(leaf.toString('utf8')) as { subject?: string; personal: Record<string, string> };
      const rows = await readPersonalValues(em, index);
      await this.ledger.record(em, { actor, action: 'ledger.personal-values.read', subject, purpose, purposeCategory, refs: { index } });
      const held = new Map(rows.map((row) => [row.name, row]));
      const values = Object.entries(personal).map(([name, commitment]): PersonalValueView => {
        const row = held.get(name);
        if (!row?.sealed) return { name, commitment, ...(row?.erasedAt ? { erasedAt: row.erasedAt.toISOString() } : {}) };
        const { salt, value } = openPersonalValue(this.keys.masterKey, index, name, row.sealed);
        return { name, commitment, value, salt: salt.toString('hex') };
      });
      return { index, values };
    });
  }

  /** Erases, in the caller's transaction, every personal value recorded about a subscriber; returns how many. */
  eraseAbout(em: EntityManager, subscriberId: string): Promise<number> {
    return this.eraseAboutAll(em, [subscriberId]);
  }

  /** The same for many subscribers in one statement: what a retention run erases about the subjects it purged. */
  eraseAboutAll(em: EntityManager, subscriberIds: readonly string[]): Promise<number> {
    return erasePersonalValuesAbout(em, subscriberIds, this.clock.now());
  }
}
