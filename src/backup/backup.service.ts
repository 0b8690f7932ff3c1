import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig, KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { CheckpointService } from '../ledger/checkpoint.service';
import { LedgerService } from '../ledger/ledger.service';
import { JobRegistry } from '../queue/job-registry';
import { writeArchiveFile } from './archive-file';
import { encodePlaintext, Manifest, SectionBody } from './backup-archive';
import { archiveName, archivesToPrune, backupPattern } from './backup-schedule';
import { BackupError, BackupErrorCode } from './backup.errors';
import { configurationSummary } from './configuration-summary';
import { pgDump, serverFacts } from './postgres-dump';

/** The embedded PostgreSQL this process runs, null in production or when the service holds it. */
export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

export interface BackupReport {
  file: string;
  bytes: number;
  treeSize: number;
}

/** Called as the archive grows: bytes written so far, and an estimate of the total (the database's size). */
export type BackupProgress = (written: number, estimate: number) => void;

/**
 * Writes backup archives (see backup-archive.ts): the database, the configuration without its
 * secrets and the latest checkpoint, encrypted to the association's age recipients and signed by the
 * ledger key. The checkpoint is taken before the dump starts, so the dumped log holds that tree
 * (it only grows) and a restore can prove it. Each archive written is a `backup.written` entry.
 */
@Injectable()
export class BackupService {
  private readonly logger = new Logger('Backups');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedPostgres | null,
    private readonly checkpoints: CheckpointService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    @InjectQueue('backup') queue: Queue,
    jobs: JobRegistry,
  ) {
    jobs.register('backup', 'write', z.object({}).passthrough(), () => this.runScheduled());
    const schedule = config.backup.schedule;
    if (schedule) jobs.schedule(queue, 'write', { pattern: backupPattern(schedule.everyHours), tz: 'UTC' }, { removeOnComplete: true, removeOnFail: 100 });
  }

  /** Writes one archive at `file` (which must not exist); `scheduled` says who asked, in the ledger entry. */
  async write(file: string, options: { scheduled: boolean; progress?: BackupProgress }): Promise<BackupReport> {
    const progress = options.progress ?? (() => undefined);
    if (this.config.mode === 'embedded' && !this.embedded) {
      throw new BackupError(
        BackupErrorCode.DataDirInUse,
        'the service is running on this data dir and holds its database: stop it and run `lanterne backup` again, or let the service write scheduled backups (LANTERNE_BACKUP_DIR)',
      );
    }
    if (this.config.backup.recipients.length === 0) {
      throw new BackupError(BackupErrorCode.MissingKey, 'no LANTERNE_BACKUP_RECIPIENTS: an archive is encrypted to the age recipients of the association');
    }
    const checkpoint = (await this.checkpoints.issueIfBehind()) ?? (await this.checkpoints.latest());
    const facts = await serverFacts(this.config.databaseUrl ?? (this.embedded as EmbeddedPostgres).url);
    let database: SectionBody;
    let estimate = facts.sizeBytes;
    if (this.embedded) {
      database = await this.embedded.dumpDataDir();
      estimate = database.length;
    } else {
      database = pgDump(this.config.databaseUrl as string);
    }
    const manifest: Manifest = {
      format: 'lanterne-backup',
      version: 1,
      createdAt: this.clock.now().toISOString(),
      lanterneVersion: LANTERNE_VERSION,
      mode: this.config.mode,
      database: {
        format: this.embedded ? 'pglite-datadir-tar-gz' : 'pg_dump-custom',
        role: this.embedded ? undefined : facts.role,
        serverVersion: facts.serverVersion,
      },
      checkpoint: { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash },
    };
    const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2), 'utf8');
    const plaintext = encodePlaintext([
      ['manifest.json', json(manifest)],
      ['config.json', json(configurationSummary(this.config, this.keys))],
      ['checkpoint.json', json(checkpoint)],
      ['database', database],
    ]);
    const { bytes } = await writeArchiveFile(file, plaintext, this.config.backup.recipients, this.keys.signingKey, (written) => progress(written, Math.max(estimate, written)));
    await this.dataSource.transaction((em) =>
      this.ledger.record(em, {
        actor: SYSTEM_ACTOR,
        action: 'backup.written',
        refs: { bytes, treeSize: checkpoint.treeSize, databaseFormat: manifest.database.format, scheduled: options.scheduled },
      }),
    );
    return { file, bytes, treeSize: checkpoint.treeSize };
  }

  /** The scheduled job: one archive into LANTERNE_BACKUP_DIR, then the oldest beyond LANTERNE_BACKUP_KEEP removed. */
  async runScheduled(): Promise<{ written: BackupReport; pruned: string[] }> {
    const schedule = this.config.backup.schedule;
    if (!schedule) throw new Error('scheduled backups are off (no LANTERNE_BACKUP_DIR)');
    const written = await this.write(join(schedule.dir, archiveName(this.clock.now())), { scheduled: true });
    const pruned = archivesToPrune(await readdir(schedule.dir), schedule.keep);
    for (const name of pruned) await rm(join(schedule.dir, name), { force: true });
    this.logger.log({ bytes: written.bytes, treeSize: written.treeSize, pruned: pruned.length }, 'backup written');
    return { written, pruned };
  }
}

/** package.json sits two levels above both src/backup/ and dist/backup/. */
const LANTERNE_VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
