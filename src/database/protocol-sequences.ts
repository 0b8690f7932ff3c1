import type { PGlite } from '@electric-sql/pglite';

/**
 * pglite-socket runs every connection's messages through one PGlite session, one protocol message at
 * a time, and keeps a connection to itself only while a transaction is open. Outside one, an extended
 * query (Parse, Bind, Describe, Execute, then Sync) of one connection can interleave with another's,
 * which then binds to the wrong unnamed statement (`bind message supplies 13 parameters, but prepared
 * statement "" requires 1`, `portal "" does not exist`). Seen as soon as three BullMQ workers poll.
 *
 * This view of the database tells pglite-socket's queue that a "transaction" is open from the first
 * message of an extended query to its Sync, so that it serves that connection alone until then.
 */
const OPENS_SEQUENCE = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'd'].map((type) => type.charCodeAt(0)));

export function withProtocolSequences(db: PGlite): PGlite {
  let open = false;
  return new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => open || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          open = OPENS_SEQUENCE.has(message[0]);
          return target.execProtocolRawStream(message, options);
        };
      }
      // Called by pglite-socket to roll back what a disconnected connection left open.
      if (property === 'exec') {
        return (...args: Parameters<PGlite['exec']>) => {
          open = false;
          return target.exec(...args);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
