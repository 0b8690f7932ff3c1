import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/**
 * Migrations are plain files in the top-level `migrations/`: compiled next to the app in dist/,
 * loaded from source under ts-jest and ts-node.
 */
const migrationsGlob = __filename.endsWith('.ts') ? join(__dirname, '..', '..', 'migrations', '*.ts') : join(__dirname, '..', 'migrations', '*.js');

export function dataSourceOptions(url: string, poolSize = 10): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url,
    migrations: [migrationsGlob],
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    logging: false,
    poolSize,
  };
}
