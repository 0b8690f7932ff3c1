import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { PURPOSE_VALUE } from './ledger-entry';
import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { PersonalValuesView, PersonalValueView, PurposeQuery } from './ledger.schemas';
import { LedgerService } from './ledger.service';
import {
  countHeldPersonalValues,
  SealedPersonalValue,
  erasePersonalValuesAbout,
  readHeldPersonalValuesAfter,
  readLeaf,
  readLeavesAbout,
  readPersonalValues,
  readPersonalValuesOf,
  resealPersonalValues,
} from './ledger.store';
import { openPersonalValue, sealPersonalValue } from './personal-values';

/** An entry about a subscriber as they read it in their access log: the actor's role, never their account. */
export interface SubjectEntry {
  index: number;
  at: string;
  actorRole: string;
  action: string;
  purposeCategory: string | null;
  /** The purpose as typed; null when the entry had none or retention erased it (`purposeErased`). */
  purpose: string | null;
  purposeErased: boolean;
}

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

  /**
   * Every entry whose subject is this subscriber, oldest first, with its purpose opened: what the
   * member's export shows as "who looked and why". Not itself recorded: the export that calls it
   * records its own read (identity.read, member-request) in the same transaction.
   */
  async entriesAbout(em: EntityManager, subscriberId: string): Promise<SubjectEntry[]> {
    const leaves = await readLeavesAbout(em, subscriberId);
    const purposes = await this.openValues(em, leaves.map((leaf) => leaf.index), PURPOSE_VALUE);
    return leaves.map(({ index, leaf }) => {
      const entry = JSON.parse(leaf.toString('utf8')) as { at: string; actor: { role: string }; action: string; purposeCategory?: string; purpose?: string; personal?: Record<string, string> };
      // Leaves written before purposes were personal values carry the purpose in clear.
      const held = purposes.get(index);
      const purpose = typeof entry.purpose === 'string' ? entry.purpose : (held ?? null);
      return {
        index,
        at: entry.at,
        actorRole: entry.actor.role,
        action: entry.action,
        purposeCategory: entry.purposeCategory ?? null,
        purpose,
        purposeErased: purpose === null && entry.personal !== undefined && PURPOSE_VALUE in entry.personal,
      };
    });
  }

  /**
   * The value of `name` held beside each of these entries, opened, keyed by entry; an erased value is
   * absent. For a context that keeps a typed value in its ledger entry only (a rectification's
   * proposed value), so that the value is sealed, re-sealed by a rotation and erased by retention with
   * the other personal values about its subject.
   */
  async openValues(em: EntityManager, indexes: readonly number[], name: string): Promise<Map<number, string>> {
    const rows = await readPersonalValuesOf(em, indexes);
    const opened = new Map<number, string>();
    for (const row of rows) {
      if (row.name === name && row.sealed) opened.set(row.leafIndex, openPersonalValue(this.keys.masterKey, row.leafIndex, name, row.sealed).value);
    }
    return opened;
  }

  /**
   * Re-seals every held value from the master key `from` to `to`, a batch per transaction, for a
   * master key rotation. A value that already opens under `to` is left as it is, so an interrupted
   * rotation resumes without a record of where it stopped. Returns how many were re-sealed.
   */
  async resealUnder(from: Buffer, to: Buffer, progress: (done: number, total: number) => void, batchSize = 500): Promise<number> {
    const total = await countHeldPersonalValues(this.dataSource.manager);
    let after = { leafIndex: -1, name: '' };
    let seen = 0;
    let resealed = 0;
    progress(0, total);
    for (;;) {
      const batch = await this.dataSource.transaction(async (em) => {
        const held = await readHeldPersonalValuesAfter(em, after, batchSize);
        const changed = held.flatMap((value) => {
          if (opensUnder(to, value)) return [];
          const { salt, value: text } = openPersonalValue(from, value.leafIndex, value.name, value.sealed);
          return [{ ...value, sealed: sealPersonalValue(to, value.leafIndex, value.name, salt, text) }];
        });
        if (changed.length > 0) await resealPersonalValues(em, changed);
        resealed += changed.length;
        return held;
      });
      if (batch.length === 0) return resealed;
      seen += batch.length;
      after = batch[batch.length - 1];
      progress(seen, Math.max(total, seen));
    }
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

function opensUnder(key: Buffer, value: SealedPersonalValue): boolean {
  try {
    openPersonalValue(key, value.leafIndex, value.name, value.sealed);
    return true;
  } catch {
    return false;
  }
}
