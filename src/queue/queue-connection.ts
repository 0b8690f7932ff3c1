import { createPostgresBackend, setDefaultBackendFactory } from 'bullmq';
import type { RedisOptions } from 'ioredis';

export const BULLMQ_SCHEMA = 'bullmq';

/**
 * BullMQ's connection for this process: Redis in production, the embedded PostgreSQL otherwise.
 * In embedded mode the PostgreSQL backend becomes the process-wide default, so queues and
 * workers need no per-queue wiring and application code is the same in both modes.
 */
export function queueConnection(mode: 'embedded' | 'production', urls: { databaseUrl: string; redisUrl?: string }): object {
  if (mode === 'embedded') {
    setDefaultBackendFactory(createPostgresBackend);
    return { connectionString: urls.databaseUrl, migrate: true, schema: BULLMQ_SCHEMA, max: 4 };
  }
  setDefaultBackendFactory();
  return redisOptions(urls.redisUrl as string);
}

export function redisOptions(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.slice(1) || 0),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
