import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One batch of a rotation: re-wrap up to `limit` keys that `from` still wraps under `newKey` (named `to`). */
export interface RewrapBatch {
  from: string;
  to: string;
  oldKey: Buffer;
  newKey: Buffer;
  limit: number;
}

/**
 * A context that keeps keys of its own wrapped by the master key. `rewrap` runs in the rotation's
 * transaction, locks the rows it takes (skipping those another rotation holds) and answers how many
 * it re-wrapped; 0 means none is left under `from`.
 */
export interface MasterKeyWrapped {
  countWrappedBy(em: EntityManager, fingerprint: string): Promise<number>;
  rewrap(em: EntityManager, batch: RewrapBatch): Promise<number>;
}

/**
 * The keys wrapped by the master key outside the vault's own data keys: contexts register here, so
 * that `lanterne rotate-master-key` re-wraps them without identity importing them.
 */
@Injectable()
export class MasterKeyWrappedRegistry {
  private readonly holders = new Map<string, MasterKeyWrapped>();

  register(name: string, holder: MasterKeyWrapped): void {
    if (this.holders.has(name)) throw new Error(`master-key-wrapped keys ${name} are registered twice`);
    this.holders.set(name, holder);
  }

  all(): MasterKeyWrapped[] {
    return [...this.holders.values()];
  }
}
