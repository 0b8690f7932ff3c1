import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Starts a TypeScript entry point of src/ as its own process, as the built one would run. */
export function spawnFromSource(entry: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr, output: () => stdout + stderr };
}

/** Runs the `lanterne` command from source, as an operator would run the installed one. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = spawnFromSource('src/cli/lanterne.ts', args, { LANTERNE_LOG_LEVEL: 'warn', ...env });
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/**
 * Starts `src/main.ts` as its own process (as `npm start` runs the build) and waits until it says
 * it serves: `url` is where its API listens, null for a worker.
 */
export async function startService(env: Record<string, string>, timeoutMs = 150_000) {
  const run = spawnFromSource('src/main.ts', [], env);
  const deadline = Date.now() + timeoutMs;
  const started = () => /API\s+http|Lanterne worker/.test(run.stdout());
  while (!started() && Date.now() < deadline && run.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!started()) {
    run.child.kill('SIGKILL');
    throw new Error(`the service did not start (exit code ${run.child.exitCode}):\n${run.output()}`);
  }
  return { ...run, url: /API\s+(http:\/\/\S+)\/api\/v1/.exec(run.stdout())?.[1] ?? null };
}
