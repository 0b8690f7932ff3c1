import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** Who has an embedded data dir open, as recorded in its lock file. */
export interface DataDirHolder {
  pid: number;
  host: string;
  /** The `lanterne` command that opened it: `serve` for the service. */
  command: string;
  /** Where its embedded PostgreSQL accepts clients: set by the service once its database is migrated. */
  url?: string;
}

export type DataDirClaim = { lock: DataDirLock } | { holder: DataDirHolder };

/** Lock files this process holds: a pid equal to ours is a holder only if it is one of these. */
const heldHere = new Set<string>();

/**
 * One opener per data dir: two PGlite instances on one directory each overwrite what the other
 * wrote. The lock file appears whole or not at all (written aside, then hard-linked into place,
 * which fails if it exists), and a lock whose process is gone is taken over.
 *
 * Not a lease refreshed on a timer (as proper-lockfile keeps): PGlite runs on the main thread, so a
 * long statement would stop the refresh and let a second opener in, the very thing to prevent.
 */
export function claimDataDir(dataDir: string, command: string): DataDirClaim {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'pgdata.lock');
  const mine: DataDirHolder = { pid: process.pid, host: hostname(), command };
  for (;;) {
    if (tryCreate(path, JSON.stringify(mine))) {
      heldHere.add(path);
      return { lock: new DataDirLock(path, mine) };
    }
    const text = readText(path);
    if (text === null) continue;
    const holder = parseHolder(text);
    if (holder && isRunning(holder, path)) return { holder };
    takeOverStale(path, text);
  }
}

export class DataDirLock {
  constructor(
    readonly path: string,
    private holder: DataDirHolder,
  ) {}

  /** Records where clients of this process's embedded PostgreSQL connect (`lanterne` commands do). */
  announce(url: string): void {
    this.holder = { ...this.holder, url };
    const aside = `${this.path}.${randomBytes(6).toString('hex')}`;
    writeFileSync(aside, JSON.stringify(this.holder));
    renameSync(aside, this.path);
  }

  release(): void {
    if (!heldHere.delete(this.path)) return;
    const text = readText(this.path);
    if (text !== null && parseHolder(text)?.pid === process.pid) unlinkSync(this.path);
  }
}

/** The message for an opener that found the dir taken. */
export function describeHolder(dataDir: string, holder: DataDirHolder): string {
  const where = holder.host === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on host ${holder.host}`;
  const who = holder.command === 'serve' ? `Lanterne (${where}) serves from data dir ${resolve(dataDir)}` : `\`lanterne ${holder.command}\` (${where}) has data dir ${resolve(dataDir)} open`;
  if (holder.command !== 'serve') return `${who}: wait until it finishes`;
  return holder.url ? `${who}: stop it first, or choose another LANTERNE_DATA_DIR` : `${who} and is still starting: try again once it serves`;
}

function tryCreate(path: string, text: string): boolean {
  const aside = `${path}.${randomBytes(6).toString('hex')}`;
  writeFileSync(aside, text, { flag: 'wx' });
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(aside);
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(text: string): DataDirHolder | null {
  try {
    const value = JSON.parse(text) as Partial<DataDirHolder>;
    return Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.command === 'string' ? (value as DataDirHolder) : null;
  } catch {
    return null;
  }
}

/** A process on another host cannot be probed from here: it is taken to be running. */
function isRunning(holder: DataDirHolder, path: string): boolean {
  if (holder.host !== hostname()) return true;
  // Our own pid in a lock we did not take: a previous life of this pid, as pid 1 in a restarted container.
  if (holder.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the stale lock read as `text`, unless another opener replaced it meanwhile: the lock is
 * moved aside first (one mover wins), and put back if it is not the stale one.
 */
function takeOverStale(path: string, text: string): void {
  const aside = `${path}.${randomBytes(6).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== text) linkSync(aside, path);
  } finally {
    unlinkSync(aside);
  }
}
