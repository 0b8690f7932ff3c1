import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import type { DomainError } from './domain-error';

/**
 * Row locks a lookup may take until the caller's transaction ends: `pessimistic_write` (FOR UPDATE)
 * against a concurrent change, `pessimistic_read` (FOR SHARE) against a concurrent end or delete,
 * `for_no_key_update` to queue writers without blocking the foreign-key checks of inserts.
 */
export type RowLock = 'pessimistic_write' | 'pessimistic_read' | 'for_no_key_update';

/**
 * The row with this id, or the context's not-found error: the one way a context turns an unknown id
 * into a 404, so every such answer reads alike and a lock is never forgotten on one path.
 */
export async function findOrFail<Entity extends ObjectLiteral & { id: string }>(
  em: EntityManager,
  entity: EntityTarget<Entity>,
  id: string,
  notFound: (id: string) => DomainError,
  lock?: RowLock,
): Promise<Entity> {
  const row = await em.getRepository(entity).findOne({ where: { id } as FindOptionsWhere<Entity>, ...(lock ? { lock: { mode: lock } } : {}) });
  if (!row) throw notFound(id);
  return row;
}
