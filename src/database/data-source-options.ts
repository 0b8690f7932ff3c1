import { join } from 'node:path';
import { Client, ClientConfig } from 'pg';
import type { DataSourceOptions } from 'typeorm';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/**
 * Migrations are plain files in the top-level `migrations/`: compiled next to the app in dist/,
 * loaded from source under ts-jest and ts-node.
 */
export const MIGRATIONS_DIR = __filename.endsWith('.ts') ? join(__dirname, '..', '..', 'migrations') : join(__dirname, '..', 'migrations');
export const MIGRATIONS_EXTENSION = __filename.endsWith('.ts') ? '.ts' : '.js';
const migrationsGlob = join(MIGRATIONS_DIR, `*${MIGRATIONS_EXTENSION}`);

export interface DatabaseTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

/** pg's message for a query that got no answer within `query_timeout`. */
export const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * The connection bound applies to reaching PostgreSQL only, not to waiting for a free connection of
 * the pool (pg-pool would read the same option for both): a burst of requests queues as before,
 * while a server that does not answer fails in seconds.
 *
 * A connection whose query got no answer at all (network cut, server gone) is not reusable: pg
 * would keep it busy with the lost query and hand it out again. Ending it destroys the socket and
 * makes the pool drop it, so requests reconnect once PostgreSQL answers again.
 */
function boundedClient(connectTimeoutMs: number) {
  return class BoundedClient extends Client {
    constructor(config: ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
    }

    // pg's overloads cannot be forwarded one by one; the result is passed on untouched.
    query(...args: unknown[]): never {
      const result = (super.query as (...a: unknown[]) => unknown)(...args) as Promise<unknown> | undefined;
      if (result && typeof result.catch === 'function') {
        result.catch((error: unknown) => {
          if ((error as Error)?.message === QUERY_READ_TIMEOUT) this.end().catch(() => undefined);
        });
      }
      return result as never;
    }
  };
}

/**
 * With `timeouts`, a connection attempt and a statement are bounded: PostgreSQL cancels a statement
 * past `statement_timeout` (the connection stays usable), and the client gives up a little later if
 * no answer comes at all. Migrations run without them: building an index may rightly take minutes.
 */
export function dataSourceOptions(url: string, poolSize = 10, timeouts?: DatabaseTimeouts): PostgresConnectionOptions {
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
    ...(timeouts
      ? {
          extra: {
            Client: boundedClient(timeouts.connectTimeoutMs),
            statement_timeout: timeouts.statementTimeoutMs,
            query_timeout: timeouts.statementTimeoutMs + 2000,
            keepAlive: true,
            keepAliveInitialDelayMillis: 10_000,
          },
        }
      : {}),
  };
}
