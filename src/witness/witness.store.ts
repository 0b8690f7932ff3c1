/** The witness's SQL: per followed log, the latest checkpoint it cosigned. */
import type { EntityManager } from 'typeorm';

export interface WitnessedLog {
  treeSize: number;
  rootHash: Buffer;
  /** The note: checkpoint text, the log's verified signature, this witness's cosignature. */
  checkpoint: string | null;
}

/** Locks the log's row until the caller's transaction ends: concurrent adds for one origin queue up here. */
export async function lockWitnessedLog(em: EntityManager, origin: string): Promise<WitnessedLog | null> {
  const [row]: { tree_size: string; root_hash: Buffer; checkpoint: string | null }[] = await em.query(
    'SELECT tree_size, root_hash, checkpoint FROM witness_logs WHERE origin = $1 FOR UPDATE',
    [origin],
  );
  return row ? { treeSize: Number(row.tree_size), rootHash: row.root_hash, checkpoint: row.checkpoint } : null;
}

export async function readWitnessedLog(em: EntityManager, origin: string): Promise<WitnessedLog | null> {
  const [row]: { tree_size: string; root_hash: Buffer; checkpoint: string | null }[] = await em.query('SELECT tree_size, root_hash, checkpoint FROM witness_logs WHERE origin = $1', [origin]);
  return row ? { treeSize: Number(row.tree_size), rootHash: row.root_hash, checkpoint: row.checkpoint } : null;
}

/**
 * Records the cosigned checkpoint. The first one for an origin inserts the row, which no lock can
 * guard: a concurrent first add that inserted it meanwhile makes this one return false (nothing written).
 */
export async function saveWitnessedLog(em: EntityManager, origin: string, log: WitnessedLog, at: Date, existed: boolean): Promise<boolean> {
  if (existed) {
    // The row is locked by this transaction (lockWitnessedLog): the update cannot miss it.
    await em.query('UPDATE witness_logs SET tree_size = $2, root_hash = $3, checkpoint = $4, updated_at = $5 WHERE origin = $1', [origin, log.treeSize, log.rootHash, log.checkpoint, at]);
    return true;
  }
  const rows: unknown[] = await em.query('INSERT INTO witness_logs (origin, tree_size, root_hash, checkpoint, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (origin) DO NOTHING RETURNING 1', [
        origin,
        log.treeSize,
        log.rootHash,
        log.checkpoint,
    at,
  ]);
  return rows.length > 0;
}
