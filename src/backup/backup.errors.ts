import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum BackupErrorCode {
  /** No LANTERNE_BACKUP_RECIPIENTS, or no identity to decrypt with. */
  MissingKey = 'backup-missing-key',
  /** The embedded data dir is served by a running service, which holds its database. */
  DataDirInUse = 'backup-data-dir-in-use',
  /** pg_dump or pg_restore failed or is not installed. */
  ToolFailed = 'backup-tool-failed',
  /** The file is not an archive, is damaged, or its signature does not verify. */
  NotAuthentic = 'backup-not-authentic',
  /** None of the age identities given is a recipient of the archive. */
  WrongIdentity = 'backup-wrong-identity',
  /** The target database (or data dir) already holds data, or is of the other mode. */
  TargetNotEmpty = 'backup-target-not-empty',
  TargetMismatch = 'backup-target-mismatch',
  /** After a restore: the ledger does not verify, or is not the archived one. */
  LedgerInconsistent = 'backup-ledger-inconsistent',
}

/** Backups run from the command line and the job queue, never from a route: the kinds only keep the house rule. */
export class BackupError extends DomainError<BackupErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case BackupErrorCode.MissingKey:
      case BackupErrorCode.NotAuthentic:
      case BackupErrorCode.WrongIdentity:
        return 'invalid';
      case BackupErrorCode.DataDirInUse:
      case BackupErrorCode.TargetNotEmpty:
      case BackupErrorCode.TargetMismatch:
        return 'conflict';
      case BackupErrorCode.ToolFailed:
      case BackupErrorCode.LedgerInconsistent:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}
