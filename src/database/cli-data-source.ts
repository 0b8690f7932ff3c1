import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { dataSourceOptions } from './data-source-options';

/**
 * For `npm run migration:generate -- migrations/<Name>`: TypeORM compares the entities with a
 * migrated database and writes the difference as a new migration, to review and edit by hand.
 */
const config = loadConfig();
if (!config.databaseUrl) throw new Error('migration:generate compares the entities with a database: set DATABASE_URL (and REDIS_URL)');

export default new DataSource({ ...dataSourceOptions(config.databaseUrl), entities: [join(__dirname, '..', '**', '*.entity.ts')] });
