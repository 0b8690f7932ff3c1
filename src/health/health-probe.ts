import { hostname } from 'node:os';
import { Client } from 'pg';
import { heartbeatState } from './heartbeat-age';

/** For container health checks: is the API of this host answering /health? */
export async function probeApi(port: number): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
    return { ok: response.status === 200, detail: `/health answered ${response.status}` };
  } catch (error) {
    return { ok: false, detail: `/health unreachable: ${(error as Error).message}` };
  }
}

/** For container health checks: has a worker process of this host run its heartbeat job lately? */
export async function probeWorker(databaseUrl: string, now = new Date()): Promise<{ ok: boolean; detail: string }> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 4000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ seen: Date | null }>(`SELECT max(seen_at) AS seen FROM worker_heartbeats WHERE worker LIKE $1`, [`${hostname()}:%`]);
    const seen = rows[0]?.seen;
    const state = heartbeatState(seen ?? null, now);
    return { ok: state === 'ok', detail: seen ? `last heartbeat ${seen.toISOString()}${state === 'stale' ? ' (stale)' : ''}` : 'no heartbeat from this host yet' };
  } finally {
    await client.end();
  }
}
