import { AppConfig } from '../config/config';
import { claimDataDir, describeHolder } from './data-dir-lock';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

export interface Database {
  url: string;
  /** The embedded PostgreSQL this process started in the data dir, to stop when done. */
  embedded: EmbeddedPostgres | null;
}

/**
 * Where PostgreSQL is: DATABASE_URL in production; in embedded mode, the data dir opened under its
 * lock, or, for a `lanterne` command while the service runs, the service's own embedded server.
 * `command` is what the lock file names; the service (`serve`) never shares its data dir.
 */
export async function openDatabase(config: AppConfig, command: string): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const claim = claimDataDir(config.dataDir, command);
  if ('holder' in claim) {
    if (command !== 'serve' && claim.holder.url) return { url: claim.holder.url, embedded: null };
    throw new Error(describeHolder(config.dataDir, claim.holder));
  }
  try {
    const embedded = await startEmbeddedPostgres(config.dataDir, claim.lock);
    return { url: embedded.url, embedded };
  } catch (error) {
    claim.lock.release();
    throw error;
  }
}
