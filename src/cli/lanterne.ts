import 'reflect-metadata';
import { Command } from 'commander';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AuthService } from '../auth/auth.service';
import { SYSTEM_ACTOR } from '../auth/roles';
import { loadConfig } from '../config/config';
import { resolveKeyMaterial } from '../config/keys';
import { runMigrations } from '../database/migrate';
import { serve } from '../main';
import { probeApi, probeWorker } from '../health/health-probe';
import { openDatabase } from '../server';
import { runVerifyCommand, VerifyCommandOptions } from './verify-command';

/** `lanterne`: the command line of an instance, reading the same environment as the service. */
export function buildCli(): Command {
  const program = new Command('lanterne').description('Back-office of a non-profit Internet access provider.');

  program
    .command('serve')
    .description('Run the API and/or the workers (LANTERNE_ROLE), migrating the database first.')
    .action(() => serve());

  program
    .command('migrate')
    .description('Apply pending database migrations and exit.')
    .action(async () => {
      const database = await openDatabase(loadConfig());
      try {
        const applied = await runMigrations(database.url);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally {
        await database.embedded?.stop();
      }
    });

  program
    .command('create-admin')
    .description('Create an admin account and print its bearer token (shown once).')
    .requiredOption('--name <name>', 'who holds the account')
    .action(async (options: { name: string }) => {
      const config = { ...loadConfig(), role: 'api' as const };
      const database = await openDatabase(config);
      try {
        await runMigrations(database.url);
        const app = await NestFactory.createApplicationContext(
          AppModule.forRoot({ config, keys: resolveKeyMaterial(config).keys, databaseUrl: database.url }),
          { logger: false },
        );
        try {
          const { token } = await app.get(AuthService).createAccount({ name: options.name, roles: ['admin'] }, SYSTEM_ACTOR);
          process.stdout.write(`${token}\n`);
        } finally {
          await app.close();
        }
      } finally {
        await database.embedded?.stop();
      }
    });

  program
    .command('health')
    .description('Exit 0 when this host serves /health (or, with --worker, when its worker beat lately): for container health checks.')
    .option('--worker', 'check the worker heartbeat instead of the HTTP API')
    .action(async (options: { worker?: boolean }) => {
      const config = loadConfig();
      if (options.worker && !config.databaseUrl) throw new Error('lanterne health --worker needs DATABASE_URL');
      const result = options.worker ? await probeWorker(config.databaseUrl as string) : await probeApi(config.port);
      process.stdout.write(`${result.detail}\n`);
      process.exitCode = result.ok ? 0 : 1;
    });

  program
    .command('verify')
    .description("Check an instance's ledger from outside: the checkpoint's signature, that the log only grew since a saved checkpoint, and with a token the whole log, naming the first bad entry.")
    .requiredOption('--url <base>', 'base URL of the instance, e.g. https://lanterne.example.org')
    .option('--token <token>', 'a bearer token that may read entries (admin or ccj): every entry is then recomputed')
    .option('--since <file>', 'a checkpoint saved by an earlier run: pins the signing key; replaced by the new one on success')
    .option('--save <file>', 'where to save the new checkpoint (defaults to the --since file)')
    .action(async (options: VerifyCommandOptions) => {
      process.exitCode = await runVerifyCommand(options);
    });

  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
