import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AuthService } from '../auth/auth.service';
import { loadConfig } from '../config/config';
import { resolveKeyMaterial } from '../config/keys';
import { runMigrations } from '../database/migrate';
import { IpImportService } from '../ipam/ip-import.service';
import { serve } from '../main';
import { openDatabase } from '../server';

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
    .action((options: { name: string }) =>
      withApplication(async (app) => {
        const { token } = await app.get(AuthService).createAccount({ name: options.name, roles: ['admin'] });
        process.stdout.write(`${token}\n`);
      }),
    );

  program
    .command('import-assignments')
    .description('Import IP assignment history from a CSV file with columns subscription,prefix,from,until (until empty for a current one). All lines or none.')
    .argument('<csv>', 'path of the CSV file')
    .action((file: string) => {
      const csv = readFileSync(file, 'utf8');
      return withApplication(async (app) => {
        const bar = new SingleBar({ stream: process.stderr, format: 'importing [{bar}] {value}/{total} lines' }, Presets.shades_classic);
        let started = false;
        const report = await app.get(IpImportService).importAssignments(csv, (done, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        });
        bar.stop();
        if (report.rejected.length === 0) {
          process.stdout.write(`imported ${report.imported} assignment(s)\n`);
          return;
        }
        for (const { line, reason } of report.rejected) process.stderr.write(`line ${line}: ${reason}\n`);
        process.stderr.write(`nothing imported: ${report.rejected.length} line(s) rejected\n`);
        process.exitCode = 1;
      });
    });

  return program;
}

/** Runs `work` against the instance of the environment (migrated first), without serving HTTP or running workers. */
async function withApplication(work: (app: INestApplicationContext) => Promise<void>): Promise<void> {
  const config = { ...loadConfig(), role: 'api' as const };
  const database = await openDatabase(config);
  try {
    await runMigrations(database.url);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, keys: resolveKeyMaterial(config).keys, databaseUrl: database.url }), {
      logger: false,
    });
    try {
      await work(app);
    } finally {
      await app.close();
    }
  } finally {
    await database.embedded?.stop();
  }
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
