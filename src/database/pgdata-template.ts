import { PGlite } from '@electric-sql/pglite';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A freshly initialised PGlite cluster, packed by the build next to the compiled code. initdb is
 * most of an embedded cold start (about 4 of 5 s on two cores); unpacking this instead takes a
 * fraction of it. Absent when running from source, where a fresh data dir is initialised as usual.
 */
export const PGDATA_TEMPLATE = join(__dirname, 'pgdata-template.tar.gz');

export async function writePgdataTemplate(file = PGDATA_TEMPLATE): Promise<void> {
  const db = await PGlite.create();
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
