import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NamedRegistry } from '../common/named-registry';
import type { LedgerAction, LedgerRef, PurposeCategory } from './ledger-entry';
import { SUBJECT_HOLD_KINDS, SubjectHold, SubjectHoldKind } from './subject-hold';
import { erasePersonalValuesUnder, notHeld, readEntriesAbout } from './subject-holds.store';

/** The ids of this kind's holds still in force at `now`; asked at every reading, so a hold ends when its owner says. */
export type HoldsInForce = (em: EntityManager, now: Date) => Promise<string[]>;

/** An entry as its subject reads it: who (by role) did what, when and why (the category; the typed purpose is a personal value). */
export interface SubjectLogEntry {
  index: number;
  at: string;
  actorRole: string;
  action: LedgerAction;
  purposeCategory?: PurposeCategory;
  legalBasis?: string;
  refs: Record<string, LedgerRef>;
}

/**
 * The filter between the ledger and a member's access log. An entry about a member is withheld from
 * them while a hold on it is in force (LedgerService.withholdFromSubject puts them on), and shows once
 * none is: the entry itself never changes. Anything that shows a member the entries about them reads
 * them here, never from the leaves directly.
 */
@Injectable()
export class SubjectHolds implements OnApplicationBootstrap {
  readonly registry = new NamedRegistry<SubjectHoldKind, HoldsInForce>('Subject hold', SUBJECT_HOLD_KINDS);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  register(kind: SubjectHoldKind, inForce: HoldsInForce): void {
    this.registry.register(kind, inForce);
  }

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }

  /** The entries whose subject is `subscriberId`, newest first, without those withheld from them at `now`. */
  async entriesAbout(subscriberId: string, now: Date, page: { limit: number; offset: number }, em: EntityManager = this.dataSource.manager): Promise<{ items: SubjectLogEntry[]; total: number }> {
    const { rows, total } = await readEntriesAbout(em, subscriberId, await this.inForce(em, now), page.limit, page.offset);
    return { items: rows.map((row) => asSubjectSees(row.index, row.leaf)), total };
  }

  /** Of these entries' indexes, those their subject may see at `now`, in the order given. */
  async visibleToSubject(indexes: readonly number[], now: Date, em: EntityManager = this.dataSource.manager): Promise<number[]> {
    if (indexes.length === 0) return [];
    const visible = new Set(await notHeld(em, indexes, await this.inForce(em, now)));
    return indexes.filter((index) => visible.has(index));
  }

  /** Erases the personal values of the entries held under these holds (their owner's records are gone); returns how many. */
  erasePersonalValuesUnder(em: EntityManager, holds: readonly SubjectHold[], now: Date): Promise<number> {
    return erasePersonalValuesUnder(em, holds, now);
  }

  private async inForce(em: EntityManager, now: Date): Promise<SubjectHold[]> {
    const holds: SubjectHold[] = [];
    for (const { name, handler } of this.registry.inOrder()) for (const id of await handler(em, now)) holds.push({ kind: name, id });
    return holds;
  }
}

function asSubjectSees(index: number, leaf: Buffer): SubjectLogEntry {
  const entry = JSON.parse(leaf.toString('utf8')) as { at: string; actor: { role: string }; action: LedgerAction; purposeCategory?: PurposeCategory; legalBasis?: string; refs?: Record<string, LedgerRef> };
  return {
    index,
    at: entry.at,
    actorRole: entry.actor.role,
    action: entry.action,
    ...(entry.purposeCategory ? { purposeCategory: entry.purposeCategory } : {}),
    ...(entry.legalBasis ? { legalBasis: entry.legalBasis } : {}),
    refs: entry.refs ?? {},
  };
}
