import 'reflect-metadata';
import { loadConfig } from './config/config';
import { startLanterne } from './server';

/** `node dist/main.js`: serve with the configuration of the environment (what `lanterne serve` runs). */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const lanterne = await startLanterne(config);
  const lines = [`Lanterne ${config.role === 'worker' ? 'worker' : 'serves'} in ${config.mode} mode`];
  if (lanterne.url) lines.push(`  API      ${lanterne.url}/api/v1`, `  docs     ${lanterne.url}/docs`, `  health   ${lanterne.url}/health`);
  if (config.mode === 'embedded') lines.push(`  data     ${config.dataDir}`);
  if (lanterne.firstAdminToken) {
    lines.push(
      '',
      'First start: an admin account was created. Its token is shown this once:',
      `  ${lanterne.firstAdminToken}`,
      `Log in with: curl -H 'Authorization: Bearer ${lanterne.firstAdminToken}' ${lanterne.url ?? ''}/api/v1/me`,
    );
  } else if (lanterne.url) {
    lines.push('', 'Log in with your bearer token (Authorization: Bearer <token>); `lanterne create-admin --name <you>` makes a new admin.');
  }
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight requests and jobs (at most ${config.shutdownGraceMs} ms)\n`);
    // A request or job that outlives the grace period is cut: BullMQ hands an unfinished job to another worker once its lock expires.
    setTimeout(() => {
      process.stderr.write(`${signal}: grace period of ${config.shutdownGraceMs} ms over, exiting with work unfinished\n`);
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    lanterne.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
