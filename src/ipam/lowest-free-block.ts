import type { EntityManager } from 'typeorm';
import { blockAt, blockCount, Pool, usableRange } from './cidr';

/** A pool as the search needs it: its shape and the chunk length the database derived from it. */
export interface PoolShape {
  id: string;
  pool: Pool;
  /** Prefix length of the pool's chunks (ip_pools.chunk_length). */
  chunkLength: number;
}

/** Parameters of LOWEST_FREE_BLOCK_SQL that depend only on the pool's shape. */
export interface ChunkBounds {
  firstChunk: string;
  lastChunk: string;
  blocksPerChunk: number;
  /** 1 when the first (resp. last) chunk holds a block that is never assigned, else 0. */
  reservedInFirstChunk: number;
  reservedInLastChunk: number;
  usableFirst: string;
  usableLast: string;
}

export function chunkBounds(shape: PoolShape): ChunkBounds {
  const { pool, chunkLength } = shape;
  const usable = usableRange(pool);
  if (usable === null) throw new RangeError(`pool ${pool.prefix.text} has no usable block`);
  const chunks = { prefix: pool.prefix, assignLength: chunkLength };
  const reserved = usable.first > 0n ? 1 : 0;
  return {
    firstChunk: blockAt(chunks, 0n).text,
    lastChunk: blockAt(chunks, blockCount(pool.prefix.length, chunkLength) - 1n).text,
    blocksPerChunk: Number(blockCount(chunkLength, pool.assignLength)),
    reservedInFirstChunk: reserved,
    reservedInLastChunk: reserved,
    usableFirst: blockAt(pool, usable.first).text,
    usableLast: blockAt(pool, usable.last).text,
  };
}

/**
 * The lowest block of a pool that no assignment holds (validity or quarantine) at or after $2,
 * i.e. the lowest block a new assignment [$2, ∞) can take without violating the exclusion
 * constraint. Reads no more than the chunk summaries up to the first chunk with room (or the first
 * chunk never used: a gap in the summaries), then the blocks of that one chunk; never the blocks
 * of the full chunks before it. "Next" prefixes are computed as broadcast + 1, which PostgreSQL
 * carries across all 128 bits.
 */
export const LOWEST_FREE_BLOCK_SQL = `
WITH chunks AS (
  SELECT chunk,
         used_blocks < $5 - CASE WHEN chunk = $3::cidr THEN $7 ELSE 0 END - CASE WHEN chunk = $4::cidr THEN $8 ELSE 0 END
           OR free_from <= $2 AS has_room,
         CASE WHEN chunk < $4::cidr THEN set_masklen(broadcast(chunk) + 1, $6)::cidr END AS next_chunk,
         lead(chunk) OVER (ORDER BY chunk) AS following
  FROM ip_pool_chunks WHERE pool_id = $1
),
free_chunk AS (
  (SELECT $3::cidr AS chunk WHERE NOT EXISTS (SELECT FROM ip_pool_chunks WHERE pool_id = $1 AND chunk = $3::cidr))
  UNION ALL
  (SELECT CASE WHEN has_room THEN chunk ELSE next_chunk END FROM chunks
   WHERE has_room OR (next_chunk IS NOT NULL AND next_chunk IS DISTINCT FROM following)
   ORDER BY chunk LIMIT 1)
  LIMIT 1
),
bounds AS (
  SELECT chunk, greatest(set_masklen(chunk, $11), $9::cidr) AS lo, least(set_masklen(broadcast(chunk), $11)::cidr, $10::cidr) AS hi
  FROM free_chunk
),
taken AS (
  SELECT DISTINCT a.prefix FROM ip_assignments a JOIN bounds b ON a.chunk = b.chunk
  WHERE a.pool_id = $1 AND (a.quarantine_until IS NULL OR a.quarantine_until > $2)
)
SELECT candidate::text AS prefix FROM (
  SELECT lo AS candidate FROM bounds WHERE NOT EXISTS (SELECT FROM taken WHERE prefix = bounds.lo)
  UNION ALL
  SELECT set_masklen(broadcast(t.prefix) + 1, $11)::cidr FROM taken t JOIN bounds b ON t.prefix >= b.lo AND t.prefix < b.hi
  WHERE NOT EXISTS (SELECT FROM taken t2 WHERE t2.prefix = set_masklen(broadcast(t.prefix) + 1, $11)::cidr)
) candidates
ORDER BY candidate LIMIT 1`;

export function lowestFreeBlockParams(shape: PoolShape, from: Date): unknown[] {
  const b = chunkBounds(shape);
  return [
    shape.id,
    from,
    b.firstChunk,
    b.lastChunk,
    b.blocksPerChunk,
    shape.chunkLength,
    b.reservedInFirstChunk,
    b.reservedInLastChunk,
    b.usableFirst,
    b.usableLast,
    shape.pool.assignLength,
  ];
}

/** The canonical text of the lowest free block, or null when the pool has none left from `from` on. */
export async function findLowestFreeBlock(em: EntityManager, shape: PoolShape, from: Date): Promise<string | null> {
  const rows: { prefix: string }[] = await em.query(LOWEST_FREE_BLOCK_SQL, lowestFreeBlockParams(shape, from));
  return rows[0]?.prefix ?? null;
}
