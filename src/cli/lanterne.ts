import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthService } from '../auth/auth.service';
import { SYSTEM_ACTOR } from '../common/access';
import { loadConfig } from '../config/config';
import { runMigrations } from '../database/migrate';
import { openDatabase } from '../database/open-database';
import { IpImportService } from '../ipam/ip-import.service';
import { serve } from '../main';
import { probeApi, probeWorker } from '../health/health-probe';
import { runBackup, runRestore } from './backup-command';
import { exportRouter, ROUTER_EXPORT_FORMATS, RouterExportFormat } from './export-router-command';
import { printOpenApiDocument } from './openapi-command';
import { runRotateMasterKey } from './rotate-master-key-command';
import { runVerifyCanaryCommand } from './verify-canary-command';
import { runVerifyCommand, VerifyCommandOptions } from './verify-command';
import { withApplication } from './with-application';

/** `lanterne`: the command line of an instance, reading the same environment as the service. */
export function buildCli(): Command {
  const program = new Command('lanterne').description('Back-office of a non-profit Internet access provider.').version(packageVersion());

  program
    .command('serve')
    .description('Run the API and/or the workers (LANTERNE_ROLE), migrating the database first.')
    .action(() => serve());

  program
    .command('migrate')
    .description('Apply pending database migrations and exit.')
    .action(async () => {
      const database = await openDatabase(loadConfig(), 'migrate');
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
      withApplication('create-admin', async (app) => {
        const { token } = await app.get(AuthService).createAccount({ name: options.name, roles: ['admin'] }, SYSTEM_ACTOR);
        process.stdout.write(`${token}\n`);
      }),
    );

  program
    .command('import-assignments')
    .description('Import IP assignment history from a CSV file with columns subscription,prefix,from,until (until empty for a current one). All lines or none.')
    .argument('<csv>', 'path of the CSV file')
    .action((file: string) => {
      const csv = readFileSync(file, 'utf8');
      return withApplication('import-assignments', async (app) => {
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

  program
    .command('export-router')
    .description("Write the server side of every tunnel for a router's cron job: WireGuard [Peer] sections, or OpenVPN client-config-dir files, from the blocks held now.")
    .addOption(new Option('--format <format>', 'which server').choices(ROUTER_EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <dir>', 'where to write: the file lanterne-peers.conf (wireguard), or the client-config-dir itself (openvpn)')
    .action((options: { format: RouterExportFormat; out: string }) =>
      withApplication('export-router', async (app) => {
        const { written, removed } = await exportRouter(app, options.format, options.out);
        process.stdout.write(`wrote ${written.length} file(s)${removed.length > 0 ? `, removed ${removed.length}` : ''} in ${options.out}\n`);
      }),
    );

  program
    .command('rotate-master-key')
    .description(
      'Re-wrap every data key of the identity vault (and re-seal the personal values beside the ledger) under a new master key, leaving the ciphertexts as they are. ' +
        'Resumable: run it again after an interruption. Afterwards the old key is refused at start. Stop the service first.',
    )
    .option('--new-key-file <file>', 'the new key (32 bytes, base64); embedded mode generates one into the data dir when omitted')
    .action((options: { newKeyFile?: string }) => runRotateMasterKey(options));

  program
    .command('backup')
    .description(
      'Write one archive of the instance: the database, the configuration without its secrets and the latest ledger checkpoint, encrypted with age to LANTERNE_BACKUP_RECIPIENTS and signed by the ledger key. ' +
        'Never holds the master key. In embedded mode, stop the service first (or let it write scheduled backups: LANTERNE_BACKUP_DIR).',
    )
    .requiredOption('--out <file>', 'where to write the archive (must not exist)')
    .action((options: { out: string }) => runBackup(options));

  program
    .command('restore')
    .description(
      'Restore an archive into an empty database (DATABASE_URL) or an empty data dir, on a machine holding the master and signing keys. ' +
        "Refuses an archive whose signature does not verify against the ledger's key, before decrypting it; afterwards checks the ledger and its consistency with the archived checkpoint.",
    )
    .argument('<file>', 'the archive')
    .option('--identity-file <file>', 'an age identity file of the association (else LANTERNE_BACKUP_IDENTITY)')
    .option('--public-key <key>', "the ledger's public key, base64 as GET /ledger/checkpoint shows it (else that of LANTERNE_SIGNING_KEY)")
    .action((file: string, options: { identityFile?: string; publicKey?: string }) => runRestore({ file, ...options }));

  program
    .command('openapi')
    .description('Print the OpenAPI 3.1 document of the API (what /api/v1/openapi.json serves), without starting the service.')
    .action(() => printOpenApiDocument());

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
    .option('--admin-actions', 'also check a page of the public log of admin actions: each entry is in the signed log at its index')
    .option('--limit <n>', 'page size of --admin-actions (1..500)', pageNumber(1), 50)
    .option('--offset <n>', 'offset of the --admin-actions page', pageNumber(0), 0)
    .option(
      '--witness <vkey [url]>',
      'a witness of your policy (cosigner vkey, type 0x04), optionally with its tlog-witness monitoring URL to compare what it saw; repeat for each',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--quorum <n>', 'how many --witness cosignatures the checkpoint must carry (default: all of them)')
    .action(async (options: VerifyCommandOptions) => {
      process.exitCode = await runVerifyCommand(options);
    });

  program
    .command('verify-canary')
    .description(
      "Check an instance's warrant canary from outside: its signature with the key of the ledger's checkpoint, and whether it lapsed. " +
        'Exit code 0: signed by the ledger key and current; 2: so signed but lapsed; 1: not verified (bad signature, another key, no canary), saying which.',
    )
    .requiredOption('--url <base>', 'base URL of the instance, e.g. https://lanterne.example.org')
    .action(async (options: { url: string }) => {
      process.exitCode = await runVerifyCanaryCommand(options);
    });

  return program;
}

/** A commander parser of a decimal integer from `min`, failing with the contract's own words. */
function pageNumber(min: number) {
  return (value: string): number => {
    if (!/^(0|[1-9]\d{0,5})$/.test(value) || Number(value) < min || Number(value) > (min === 1 ? 500 : Number.MAX_SAFE_INTEGER)) {
      throw new InvalidArgumentError(min === 1 ? 'must be an integer from 1 to 500' : 'must be a non-negative integer');
    }
    return Number(value);
  };
}

/** The installed package's version: package.json sits two levels above both src/cli/ and dist/cli/. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
