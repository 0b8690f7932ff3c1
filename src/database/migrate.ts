import { readdirSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { pgErrorCode } from '../common/database-errors';
import { dataSourceOptions, MIGRATIONS_DIR, MIGRATIONS_EXTENSION } from './data-source-options';

/** An arbitrary constant shared by every Lanterne process: one migrator at a time per database. */
const MIGRATION_LOCK = 0x4c414e54;

/**
 * Applies pending migrations, serialised across processes that start together (api + worker).
 * Most starts have none: one query says so, instead of TypeORM loading every migration under a lock.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  if (await nonePending(databaseUrl)) return [];
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, 1));
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await dataSource.destroy();
  }
}

/** The timestamps of the migrations this build carries, from their file names (`1763769600000-Foundation.js`). */
export function migrationTimestamps(files: string[], extension: string): number[] {
  return files.filter((file) => file.endsWith(extension) && !file.endsWith(`.d${extension}`)).map((file) => Number(/^(\d+)-/.exec(file)?.[1] ?? NaN));
}

/** Whether TypeORM's table records every migration of this build (a timestamp it cannot read counts as pending). */
async function nonePending(databaseUrl: string): Promise<boolean> {
  const known = migrationTimestamps(readdirSync(MIGRATIONS_DIR), MIGRATIONS_EXTENSION);
  if (known.some(Number.isNaN)) return false;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // A database never migrated has no such table (42P01): everything is pending.
    const { rows } = await client.query<{ timestamp: string }>('SELECT "timestamp"::text FROM public.migrations').catch((error: unknown) => {
      if (pgErrorCode(error) === '42P01') return { rows: [] };
      throw error;
    });
    const applied = new Set(rows.map((row) => Number(row.timestamp)));
    return known.every((timestamp) => applied.has(timestamp));
  } finally {
    await client.end();
  }
}
