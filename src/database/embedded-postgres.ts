import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataDirLock } from './data-dir-lock';
import { btree_gist } from './embedded-extensions';
import { PGDATA_TEMPLATE } from './pgdata-template';

export interface EmbeddedPostgres {
  url: string;
  /** Lets `lanterne` commands connect here rather than open the data dir: once it is migrated. */
  announce(): void;
  /** The whole data dir as a gzipped tarball (PGlite's own dump), consistent as of the call. */
  dumpDataDir(): Promise<Buffer>;
  stop(): Promise<void>;
}

/** Whether the data dir holds no database yet. */
export function isFreshDataDir(dataDir: string): boolean {
  return !existsSync(join(embeddedDataPath(dataDir), 'PG_VERSION'));
}

/**
 * Creates the data dir's database from a tarball of `dumpDataDir` (a restore). The caller holds the
 * data dir's lock and has checked that it is fresh.
 */
export async function loadEmbeddedDataDir(dataDir: string, tarball: Buffer): Promise<void> {
  const dir = embeddedDataPath(dataDir);
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir, { extensions: { btree_gist }, loadDataDir: new Blob([tarball]) });
  await db.close();
}

/**
 * A real PostgreSQL (PGlite, compiled to WASM) in the data dir, served on loopback so that the same
 * `pg` driver, TypeORM pool and BullMQ backend work unchanged. pglite-socket multiplexes every
 * connection through one session, so the search path set here is the one every client sees; it
 * includes BullMQ's schema because pglite-socket ignores the startup `options` BullMQ would pin it with.
 * The caller holds the data dir's lock; stopping releases it.
 */
export async function startEmbeddedPostgres(dataDir: string, lock: DataDirLock): Promise<EmbeddedPostgres> {
  const dir = embeddedDataPath(dataDir);
  mkdirSync(dir, { recursive: true });
  const fresh = isFreshDataDir(dataDir);
  const loadDataDir = fresh && existsSync(PGDATA_TEMPLATE) ? new Blob([readFileSync(PGDATA_TEMPLATE)]) : undefined;
  const db = await PGlite.create(dir, { extensions: { btree_gist }, loadDataDir });
  await db.exec('SET search_path TO public, bullmq');
  // Every connection shares PGlite's one session, so a socket costs little; a refused one is a "Connection
  // terminated unexpectedly" for its client. The service alone holds a pool and two or three connections
  // per queue (each context with jobs adds a queue), and `lanterne` commands run beside it with theirs.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 256 });
  keepExtendedQueriesWhole(server);
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    announce: () => lock.announce(url),
    dumpDataDir: async () => Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()),
    async stop() {
      await server.stop();
      await db.close();
      lock.release();
    },
  };
}

type Enqueue = (handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) => Promise<number>;

/** Extended-protocol messages, which a Sync (or a Flush) ends: Parse, Bind, Describe, Execute, Close. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C'].map((letter) => letter.charCodeAt(0)));

/**
 * pglite-socket (0.2) queues each protocol message on its own, so two connections' Parse, Bind and
 * Execute interleave in PGlite's one session and clash on its unnamed statement and portal
 * ("unnamed prepared statement does not exist", 'portal "" does not exist') as soon as a few clients
 * query at once (the queue workers at start). Each connection's messages up to its Sync are queued as
 * one, so an extended query runs whole; the queue's own hold on an open transaction does the rest.
 */
function keepExtendedQueriesWhole(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: { enqueue: Enqueue } }).queryQueue;
  const enqueue = queue.enqueue.bind(queue);
  const pending = new Map<number, Uint8Array[]>();
  queue.enqueue = (handlerId, message, onData) => {
    const held = pending.get(handlerId);
    if (EXTENDED.has(message[0])) {
      if (held) held.push(message);
      else pending.set(handlerId, [message]);
      return Promise.resolve(0);
    }
    if (!held) return enqueue(handlerId, message, onData);
    pending.delete(handlerId);
    // What ends them (a Sync, or a Flush) goes along, in order.
    return enqueue(handlerId, Buffer.concat([...held, message]), onData);
  };
}

export const embeddedDataPath = (dataDir: string) => join(resolve(dataDir), 'pgdata');
