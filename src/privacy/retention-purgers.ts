import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NamedRegistry } from '../common/named-registry';
import { RETENTION_CATEGORIES, RetentionCategory } from './retention-categories';

export interface PurgeRequest {
  /** The retention run's transaction. */
  em: EntityManager;
  /** The run's "now" (from the injectable clock, so tests travel in time). */
  now: Date;
  /** The category's policy in force: how long after its starting event the data is kept. */
  keepDays: number;
}

export interface PurgeResult {
  count: number;
  /** Subscribers whose data of this category is now gone: the ledger's personal values about them are erased too. */
  erasedSubjects?: string[];
}

export type RetentionPurger = (request: PurgeRequest) => Promise<PurgeResult>;

const DAY_MS = 24 * 3600 * 1000;

/**
 * The instant before which a category's starting event must lie for its data to go: data whose
 * event is strictly earlier than `now − keepDays` (days of 24 hours) is past its policy.
 */
export function purgeCutoff({ now, keepDays }: Pick<PurgeRequest, 'now' | 'keepDays'>): Date {
  return new Date(now.getTime() - keepDays * DAY_MS);
}

/** One purger per retention category, registered by the context that holds the data. */
@Injectable()
export class RetentionPurgers implements OnApplicationBootstrap {
  readonly registry = new NamedRegistry<RetentionCategory, RetentionPurger>('Retention purger', RETENTION_CATEGORIES);

  register(category: RetentionCategory, purger: RetentionPurger): void {
    this.registry.register(category, purger);
  }

  /** Contexts register in their onModuleInit: by bootstrap, a category without a purger is a defect. */
  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }
}
