import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { BackupError, BackupErrorCode } from './backup.errors';

/**
 * pg_dump and pg_restore (custom format) as child processes. The password travels in the child's
 * environment (PGPASSWORD), never on its command line, where any local user could read it.
 */
function connection(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { args: ['--dbname', parsed.toString()], env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** The dump of the database at `url` as it comes out of pg_dump; the iteration fails if pg_dump does. */
export async function* pgDump(url: string): AsyncGenerator<Uint8Array> {
  const { args, env } = connection(url);
  const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--compress=6', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = processResult(child, 'pg_dump');
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
  } finally {
    if (child.exitCode === null) child.kill();
  }
  await exited;
}

/** Restores a custom-format dump read from `source` in one transaction: all of it, or nothing. */
export async function pgRestore(url: string, source: AsyncIterable<Uint8Array>): Promise<void> {
  const { args, env } = connection(url);
  const child = spawn('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', ...args], { env, stdio: ['pipe', 'ignore', 'pipe'] });
  const exited = processResult(child, 'pg_restore');
  const fed = new Promise<void>((resolve, reject) => {
    Readable.from(source).on('error', reject).pipe(child.stdin).on('error', reject).on('finish', resolve);
  });
  // A failed restore closes its input early: its own message says more than the broken pipe.
  await Promise.all([exited, fed.catch((error: Error) => exited.then(() => Promise.reject(error)))]);
}

function processResult(child: ReturnType<typeof spawn>, name: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new BackupError(BackupErrorCode.ToolFailed, `${name} could not run: ${error.message} (is the PostgreSQL client installed?)`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new BackupError(BackupErrorCode.ToolFailed, `${name} failed (exit code ${code}): ${stderr.trim()}`))));
  });
}

export interface ServerFacts {
  role: string;
  serverVersion: string;
  /** An estimate of the dump's size, for progress: the database's size on disk. */
  sizeBytes: number;
  /** Tables, views, sequences and functions outside PostgreSQL's own schemas: 0 in a database never used. */
  objects: number;
}

export async function serverFacts(url: string): Promise<ServerFacts> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const {
      rows: [facts],
    } = await client.query<{ role: string; server_version: string; size: string; objects: number }>(`
      SELECT current_user AS role, current_setting('server_version') AS server_version, pg_database_size(current_database())::text AS size,
        (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%')
        + (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
        AS objects`);
    return { role: facts.role, serverVersion: facts.server_version, sizeBytes: Number(facts.size), objects: facts.objects };
  } finally {
    await client.end();
  }
}

/** Whether `role` exists on the server at `url`: a restore replays the dumped grants and revocations to it. */
export async function roleExists(url: string, role: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
  } finally {
    await client.end();
  }
}
