/** When scheduled backups run, what they are called and which ones retention removes. No I/O. */
import { BACKUP_PERIODS_HOURS } from '../config/config';

/**
 * The cron pattern (UTC) of a backup every `hours`: on the hour, never at the scheduler's creation, so
 * a restart writes no archive (nor a `backup.written` entry) of its own.
 */
export function backupPattern(hours: number): string {
  if (!(BACKUP_PERIODS_HOURS as readonly number[]).includes(hours)) throw new RangeError(`a backup period is one of ${BACKUP_PERIODS_HOURS.join(', ')} hours`);
  if (hours === 168) return '0 0 * * 0';
  if (hours === 24) return '0 0 * * *';
  return `0 */${hours} * * *`;
}

const ARCHIVE_NAME = /^lanterne-(\d{8}T\d{6}Z)\.lbk$/;

/** `lanterne-20260601T120000Z.lbk`: names sort as their times do. */
export function archiveName(at: Date): string {
  return `lanterne-${at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}.lbk`;
}

/** The scheduled archives among `names` beyond the `keep` newest: what retention removes. Other files are never touched. */
export function archivesToPrune(names: readonly string[], keep: number): string[] {
  const archives = names.filter((name) => ARCHIVE_NAME.test(name)).sort();
  return archives.slice(0, Math.max(0, archives.length - keep));
}
