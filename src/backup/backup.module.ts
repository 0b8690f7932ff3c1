import { DynamicModule, Module } from '@nestjs/common';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { LedgerModule } from '../ledger/ledger.module';
import { BackupService, EMBEDDED_DATABASE } from './backup.service';

/**
 * Encrypted, signed backups of the instance (the `lanterne backup` command and a scheduled job) and
 * what a restore checks. In embedded mode the archive holds PGlite's own dump of the data dir, which
 * only the process running it can take: that process's embedded database is given here.
 */
@Module({})
export class BackupModule {
  static forRoot(embedded: EmbeddedPostgres | null): DynamicModule {
    return {
      module: BackupModule,
      imports: [LedgerModule],
      providers: [{ provide: EMBEDDED_DATABASE, useValue: embedded }, BackupService],
    };
  }
}
