/**
 * IPAM's SQL, as plain functions over the caller's EntityManager (and so its transaction). What the
 * queries rely on (the exclusion constraint, the chunk summary and its triggers) is in
 * migrations/1763769700000-Ipam.ts.
 */
import type { EntityManager } from 'typeorm';
import { lowestFreeBlockParams, PoolShape } from './lowest-free-block';

/** End of the quarantine that follows a validity ending at `until`, in days of 24 hours of the pool `p`. */
const QUARANTINE_END = (until: string) => `${until}::timestamptz + p.quarantine_days * interval '24 hours'`;

/**
 * Assignments covering $1 (an address as a host prefix) at $2: the pool containing the address
 * names the chunk, so the exclusion constraint's GiST index answers with a few pages however
 * long the history. The subscriber comes along for the ledger entry of a past lookup.
 */
export const LOOKUP_SQL = `
SELECT a.id, a.subscription_id, s.subscriber_id, a.pool_id, a.prefix::text, a.valid_from, a.valid_until
FROM ip_pools p
JOIN ip_assignments a ON a.chunk = set_masklen($1::cidr, p.chunk_length)
JOIN subscriptions s ON s.id = a.subscription_id
WHERE p.prefix >>= $1::inet AND a.prefix >>= $1::inet AND a.held @> $2::timestamptz AND a.validity @> $2::timestamptz
ORDER BY a.valid_from`;

export interface LookupRow {
  id: string;
  subscription_id: string;
  subscriber_id: string;
  pool_id: string;
  prefix: string;
  valid_from: Date;
  valid_until: Date | null;
}

/** The assignments covering a host prefix at an instant: at most one, since blocks never overlap in time. */
export function findHolders(em: EntityManager, address: string, at: Date): Promise<LookupRow[]> {
  return em.query(LOOKUP_SQL, [address, at]);
}

/** Releases one current assignment, or all of a subscription's, at $2, each into its pool's quarantine. */
const RELEASE_SQL = (where: 'a.id = $1' | 'a.subscription_id = $1') => `
UPDATE ip_assignments a SET valid_until = $2, quarantine_until = ${QUARANTINE_END('$2')}
FROM ip_pools p
WHERE p.id = a.pool_id AND a.quarantine_until IS NULL AND ${where}`;

/** Ends one current assignment at `at`; answers the end of its quarantine. */
/** Every assignment of these subscriptions, oldest first: what retention has not deleted is still held. */
export function assignmentsOfSubscriptions(
  em: EntityManager,
  subscriptionIds: readonly string[],
): Promise<{ id: string; subscription_id: string; pool_id: string; prefix: string; valid_from: Date; valid_until: Date | null; quarantine_until: Date | null }[]> {
  return em.query(
    `SELECT id, subscription_id, pool_id, prefix::text AS prefix, valid_from, valid_until, quarantine_until
       FROM ip_assignments WHERE subscription_id = ANY ($1::uuid[]) ORDER BY valid_from, id`,
    [subscriptionIds],
  );
}

export async function releaseAssignment(em: EntityManager, id: string, at: Date): Promise<Date> {
  // TypeORM answers an UPDATE with [rows, affected].
  const [[released]]: [{ quarantine_until: Date }[], number] = await em.query(`${RELEASE_SQL('a.id = $1')} RETURNING a.quarantine_until`, [id, at]);
  return released.quarantine_until;
}

/** Ends every current assignment of a subscription at `at`. */
export async function releaseAssignmentsOf(em: EntityManager, subscriptionId: string, at: Date): Promise<void> {
  await em.query(RELEASE_SQL('a.subscription_id = $1'), [subscriptionId, at]);
}

/** A block held now, as PTR names need it. */
export interface CurrentBlock {
  id: string;
  poolId: string;
  poolPrefix: string;
  prefix: string;
}

/**
 * The current assignment of a subscription containing $2 (a host prefix), FOR NO KEY UPDATE: the
 * writers of the block's PTR names queue here, a release waits until the caller commits, and a
 * caller that waited on a release sees the block released and finds nothing.
 */
export async function lockCurrentBlockCovering(em: EntityManager, subscriptionId: string, address: string): Promise<CurrentBlock | undefined> {
  const [row]: CurrentBlock[] = await em.query(
    `SELECT id, pool_id AS "poolId", pool_prefix::text AS "poolPrefix", prefix::text AS prefix FROM ip_assignments
     WHERE subscription_id = $1 AND valid_until IS NULL AND prefix >>= $2::inet FOR NO KEY UPDATE`,
    [subscriptionId, address],
  );
  return row;
}

export interface BlockHolder {
  valid_from: Date;
  valid_until: Date | null;
  quarantine_until: Date | null;
}

/** The latest assignment of a block that is held (validity or quarantine) at or after `from`, if any. */
export async function latestHolderOf(em: EntityManager, pool: PoolShape, prefix: string, from: Date): Promise<BlockHolder | undefined> {
  const [holder]: BlockHolder[] = await em.query(
    `SELECT valid_from, valid_until, quarantine_until FROM ip_assignments
     WHERE pool_id = $1 AND chunk = set_masklen($2::cidr, $3) AND prefix = $2::cidr AND held && tstzrange($4, NULL)
     ORDER BY valid_from DESC LIMIT 1`,
    [pool.id, prefix, pool.chunkLength, from],
  );
  return holder;
}

/**
 * IP history past its policy: the assignments that ended before `endedBefore`, in one set-based
 * statement (ip_assignments_ended_idx finds them however long the history). One still in quarantine
 * at `now` stays until its quarantine is over: its row is what keeps the block from being handed
 * out again. Current assignments (valid_until null) never match. Answers how many went.
 */
export async function deleteEndedAssignments(em: EntityManager, endedBefore: Date, now: Date): Promise<number> {
  // TypeORM answers a DELETE with [rows, affected].
  const [, deleted]: [unknown[], number] = await em.query('DELETE FROM ip_assignments WHERE valid_until < $1 AND quarantine_until <= $2', [endedBefore, now]);
  return deleted;
}

/** Writes one assignment of an import; quarantine_until follows from the pool when it has ended. Answers its id. */
export async function insertImportedAssignment(
  em: EntityManager,
  row: { poolId: string; subscriptionId: string; prefix: string; validFrom: Date; validUntil: Date | null },
): Promise<string> {
  const [inserted]: { id: string }[] = await em.query(
    `INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from, valid_until, quarantine_until)
     SELECT p.id, p.prefix, p.assign_length, $2, $3, $4, $5, ${QUARANTINE_END('$5')} FROM ip_pools p WHERE p.id = $1
     RETURNING id`,
    [row.poolId, row.subscriptionId, row.prefix, row.validFrom, row.validUntil],
  );
  return inserted.id;
}

/** A pool that overlaps `prefix`, to name it when a new pool is refused. */
export async function overlappingPool(em: EntityManager, prefix: string): Promise<{ name: string; prefix: string } | undefined> {
  const [other] = await em.query(`SELECT name, prefix::text FROM ip_pools WHERE prefix && $1::cidr LIMIT 1`, [prefix]);
  return other;
}

/**
 * Per pool, blocks held by a current assignment and blocks in quarantine at `now`, in one round trip
 * for any number of pools; each count is answered by a partial index.
 */
export async function countHeldBlocks(em: EntityManager, poolIds: readonly string[], now: Date): Promise<Map<string, { assigned: bigint; quarantined: bigint }>> {
  const rows: { id: string; assigned: string; quarantined: string }[] = await em.query(
    `SELECT p.id,
            (SELECT count(*) FROM ip_assignments WHERE pool_id = p.id AND quarantine_until IS NULL) AS assigned,
            (SELECT count(*) FROM ip_assignments WHERE pool_id = p.id AND quarantine_until > $2 AND valid_until <= $2) AS quarantined
     FROM unnest($1::uuid[]) AS p(id)`,
    [poolIds, now],
  );
  return new Map(rows.map((row) => [row.id, { assigned: BigInt(row.assigned), quarantined: BigInt(row.quarantined) }]));
}

/**
 * The lowest block of a pool that no assignment holds (validity or quarantine) at or after $2,
 * i.e. the lowest block a new assignment [$2, ∞) can take without violating the exclusion
 * constraint. Reads no more than the chunk summaries up to the first chunk with room (or the first
 * chunk never used: a gap in the summaries), then the blocks of that one chunk; never the blocks
 * of the full chunks before it. "Next" prefixes are computed as broadcast + 1, which PostgreSQL
 * carries across all 128 bits. Parameters: lowestFreeBlockParams.
 */
const LOWEST_FREE_BLOCK_SQL = `
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

/** The canonical text of the lowest free block, or null when the pool has none left from `from` on. */
export async function findLowestFreeBlock(em: EntityManager, shape: PoolShape, from: Date): Promise<string | null> {
  const rows: { prefix: string }[] = await em.query(LOWEST_FREE_BLOCK_SQL, lowestFreeBlockParams(shape, from));
  return rows[0]?.prefix ?? null;
}
