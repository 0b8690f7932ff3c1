import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { btree_gist } from './embedded-extensions';
import { runMigrations } from './migrate';

/**
 * A freshly initialised PGlite cluster with this build's migrations applied, packed by the build
 * next to the compiled code. initdb, then the migrations, were most of an embedded cold start;
 * unpacking this instead takes a fraction of it, and the start finds nothing pending. Absent when
 * running from source, where a fresh data dir is initialised and migrated as usual. Migrations
 * create structure and shared reference rows only (secrets come from the configuration or the data
 * dir), so every instance may start from the same copy.
 */
export const PGDATA_TEMPLATE = join(__dirname, 'pgdata-template.tar.gz');

export async function writePgdataTemplate(file = PGDATA_TEMPLATE): Promise<void> {
  const db = await PGlite.create({ extensions: { btree_gist } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  try {
    await runMigrations(`postgres://postgres@${server.getServerConn()}/postgres`);
  } finally {
    await server.stop();
  }
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
}

/** `node dist/database/pgdata-template.js`: the last step of `npm run build`. */
if (require.main === module) {
  writePgdataTemplate().catch((error: unknown) => {
    process.stderr.write(`cannot write ${PGDATA_TEMPLATE}: ${String(error)}\n`);
    process.exit(1);
  });
}
