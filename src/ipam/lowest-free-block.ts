import { blockAt, blockCount, Pool, usableRange } from './cidr';

/**
 * A pool is cut into chunks of up to 2^CHUNK_BITS blocks, the unit of the free-block summary
 * (ip_pool_chunks) and the first key of the exclusion constraint. The database computes the chunk
 * length itself (ip_pools.chunk_length, ip_assignments.chunk: greatest(masklen(prefix), assign_length - 10));
 * this is the same rule, for code that needs it without a pool row.
 */
export const CHUNK_BITS = 10;

/** The chunk length the database gives a pool of this shape. */
export function chunkLengthOf(poolLength: number, assignLength: number): number {
  return Math.max(poolLength, assignLength - CHUNK_BITS);
}

/** A pool as the search needs it: its shape and the chunk length the database derived from it. */
export interface PoolShape {
  id: string;
  pool: Pool;
  /** Prefix length of the pool's chunks (ip_pools.chunk_length). */
  chunkLength: number;
}

/** Parameters of the lowest-free-block query that depend only on the pool's shape. */
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

/** Parameters of the lowest-free-block query (ipam.store.ts), in its order. */
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
