import { INestApplicationContext } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AppConfig, parseAgeIdentities, parseSigningKey } from '../config/config';
import { claimDataDir, DataDirLock, describeHolder } from '../database/data-dir-lock';
import { isFreshDataDir, loadEmbeddedDataDir } from '../database/embedded-postgres';
import { Checkpoint, decodePublicKey, verifyCheckpoint } from '../ledger/checkpoint';
import { LedgerReader } from '../ledger/ledger-reader.service';
import { LedgerVerifier } from '../ledger/ledger-verifier.service';
import { verifyConsistency } from '../ledger/merkle';
import { copyVerifiedArchive, decryptArchive } from './archive-file';
import { ArchivedCheckpointSchema, ArchiveFormatError, decodePlaintext, JSON_SECTION_LIMIT, Manifest, parseJsonSection, parseManifest, PlaintextEvent, SectionName } from './backup-archive';
import { BackupError, BackupErrorCode } from './backup.errors';
import { pgRestore, roleExists, serverFacts } from './postgres-dump';

export interface RestoreOptions {
  file: string;
  /** An age identity file (age-keygen's output); else LANTERNE_BACKUP_IDENTITY. */
  identityFile?: string;
  /** The ledger's public key (base64 SPKI, as GET /ledger/checkpoint shows it); else that of the signing key. */
  publicKey?: string;
}

export type RestoreProgress = (phase: 'verifying' | 'restoring', done: number, total: number) => void;

export interface RestoredArchive {
  manifest: Manifest;
  checkpoint: Checkpoint;
}

/**
 * `lanterne restore`, up to the restored database: the keys it needs are there, the target is empty,
 * the archive's signature verifies (before anything is decrypted), then it is decrypted and restored
 * (in one transaction in production; into the fresh data dir in embedded mode).
 */
export async function restoreArchive(config: AppConfig, options: RestoreOptions, progress: RestoreProgress = () => undefined): Promise<RestoredArchive> {
  const publicKey = ledgerPublicKey(config, options.publicKey);
  const identities = options.identityFile ? parseAgeIdentities(readFileSync(options.identityFile, 'utf8'), '--identity-file') : config.backup.identities;
  if (identities.length === 0) throw new BackupError(BackupErrorCode.MissingKey, 'no age identity to decrypt with: set LANTERNE_BACKUP_IDENTITY (or _FILE), or give --identity-file');
  const size = statSync(options.file).size;
  const lock = await claimEmptyTarget(config);
  const work = mkdtempSync(join(tmpdir(), 'lanterne-restore-'));
  try {
    progress('verifying', 0, size);
    const copy = join(work, 'archive');
    const { ciphertextLength } = await copyVerifiedArchive(options.file, copy, publicKey);
    progress('verifying', size, size);
    const plaintext = await decryptArchive(copy, ciphertextLength, identities, (read) => progress('restoring', read, ciphertextLength));
    const sections = new SectionReader(decodePlaintext(plaintext)[Symbol.asyncIterator]());

    const manifest = parseManifest(await sections.whole('manifest.json'));
    if (manifest.mode !== config.mode) {
      throw new BackupError(
        BackupErrorCode.TargetMismatch,
        manifest.mode === 'production'
          ? 'this archive is of an instance in production mode (a pg_dump): restore it with DATABASE_URL set to an empty database'
          : 'this archive is of an embedded instance (a PGlite data dir): restore it without DATABASE_URL, into an empty LANTERNE_DATA_DIR',
      );
    }
    // Read for the operator, never applied: the new machine's environment is the configuration.
    parseJsonSection('config.json', await sections.whole('config.json'), z.record(z.string(), z.unknown()));
    const checkpoint = parseJsonSection('checkpoint.json', await sections.whole('checkpoint.json'), ArchivedCheckpointSchema);
    if (!verifyCheckpoint(publicKey, checkpoint) || checkpoint.treeSize !== manifest.checkpoint.treeSize || checkpoint.rootHash !== manifest.checkpoint.rootHash) {
      throw new BackupError(BackupErrorCode.NotAuthentic, "the archive's checkpoint is not signed by the ledger's key, or not the one its manifest names");
    }

    if (config.mode === 'production') {
      const url = config.databaseUrl as string;
      if (manifest.database.role && !(await roleExists(url, manifest.database.role))) {
        throw new BackupError(
          BackupErrorCode.TargetMismatch,
          `the archive's grants and revocations (the ledger's tables refuse updates and deletes) name the role ${manifest.database.role}, which this server lacks: create it first (CREATE ROLE ${manifest.database.role} LOGIN) and connect as it`,
        );
      }
      await pgRestore(url, sections.body('database'));
    } else {
      const pieces: Buffer[] = [];
      for await (const piece of sections.body('database')) pieces.push(piece);
      await loadEmbeddedDataDir(config.dataDir, Buffer.concat(pieces));
    }
    await sections.end();
    return { manifest, checkpoint };
  } finally {
    rmSync(work, { recursive: true, force: true });
    lock?.release();
  }
}

/**
 * After the restore, on the restored instance: the whole ledger recomputes, and the restored tree is
 * the archived one or extends it (same root at the archived size, and a consistency proof from it).
 */
export async function verifyRestoredLedger(app: INestApplicationContext, archived: Checkpoint): Promise<{ treeSize: number; rootHash: string }> {
  const verified = await app.get(LedgerVerifier).verify();
  if (!verified.ok) throw new BackupError(BackupErrorCode.LedgerInconsistent, `the restored ledger does not verify: ${verified.reason ?? `entry ${verified.firstBadIndex} is bad`}`);
  const reader = app.get(LedgerReader);
  const treeSize = await reader.treeSize();
  if (treeSize < archived.treeSize) throw new BackupError(BackupErrorCode.LedgerInconsistent, `the restored ledger has ${treeSize} entries, fewer than the archived checkpoint's ${archived.treeSize}`);
  const archivedRoot = Buffer.from(archived.rootHash, 'hex');
  const root = await reader.root(treeSize);
  const proof = await reader.consistencyProof(archived.treeSize, treeSize);
  const sameRoot = (await reader.root(archived.treeSize)).equals(archivedRoot);
  if (!sameRoot || !verifyConsistency(archived.treeSize, treeSize, archivedRoot, root, proof.path.map((hash) => Buffer.from(hash, 'hex')))) {
    throw new BackupError(BackupErrorCode.LedgerInconsistent, `the restored ledger is not consistent with the archived checkpoint of ${archived.treeSize} entries`);
  }
  return { treeSize, rootHash: root.toString('hex') };
}

/**
 * The key the archive's signature is checked with: given, or the public half of the signing key
 * (LANTERNE_SIGNING_KEY, or the data dir's in embedded mode). The signing key must be there anyway:
 * the restored instance goes on signing its ledger with it, and a new key would disown every checkpoint.
 */
function ledgerPublicKey(config: AppConfig, given: string | undefined): KeyObject {
  const keyFile = join(config.dataDir, 'keys', 'signing.key');
  const signingKey = config.keys.signingKey ?? (config.mode === 'embedded' && existsSync(keyFile) ? parseSigningKey(readFileSync(keyFile, 'utf8').trim(), keyFile) : undefined);
  if (!signingKey) {
    throw new BackupError(BackupErrorCode.MissingKey, `the ledger's signing key travels apart from the archive: set LANTERNE_SIGNING_KEY (or _FILE), or put it in ${keyFile}, before restoring`);
  }
  const masterKeyFile = join(config.dataDir, 'keys', 'master.key');
  if (!config.keys.masterKey && !(config.mode === 'embedded' && existsSync(masterKeyFile))) {
    throw new BackupError(BackupErrorCode.MissingKey, `the master key travels apart from the archive: set LANTERNE_MASTER_KEY (or _FILE), or put it in ${masterKeyFile}, before restoring`);
  }
  if (!given) return createPublicKey(signingKey);
  try {
    return decodePublicKey(given);
  } catch (error) {
    throw new BackupError(BackupErrorCode.MissingKey, `--public-key: ${(error as Error).message}`);
  }
}

/** Refuses a target that holds anything; in embedded mode, holds the data dir's lock for the restore. */
async function claimEmptyTarget(config: AppConfig): Promise<DataDirLock | null> {
  if (config.mode === 'production') {
    const { objects } = await serverFacts(config.databaseUrl as string);
    if (objects > 0) throw new BackupError(BackupErrorCode.TargetNotEmpty, `the database at DATABASE_URL is not empty (${objects} objects): restore into a new, empty database`);
    return null;
  }
  const claim = claimDataDir(config.dataDir, 'restore');
  if ('holder' in claim) throw new BackupError(BackupErrorCode.DataDirInUse, describeHolder(config.dataDir, claim.holder));
  if (!isFreshDataDir(config.dataDir)) {
    claim.lock.release();
    throw new BackupError(BackupErrorCode.TargetNotEmpty, `the data dir ${config.dataDir} already holds a database: restore into an empty LANTERNE_DATA_DIR (its keys/ may be there)`);
  }
  return claim.lock;
}

function notAuthentic(error: Error): BackupError {
  return new BackupError(BackupErrorCode.NotAuthentic, error.message);
}

/** The decrypted plaintext, section by section, in the order decodePlaintext enforces. */
class SectionReader {
  private peeked: PlaintextEvent | null = null;

  constructor(private readonly events: AsyncIterator<PlaintextEvent>) {}

  /** A JSON section, whole (they are small). */
  async whole(name: SectionName): Promise<Buffer> {
    const pieces: Buffer[] = [];
    let size = 0;
    for await (const piece of this.body(name)) {
      size += piece.length;
      if (size > JSON_SECTION_LIMIT) throw notAuthentic(new ArchiveFormatError(`${name} is larger than ${JSON_SECTION_LIMIT} bytes`));
      pieces.push(piece);
    }
    return Buffer.concat(pieces);
  }

  async *body(name: SectionName): AsyncGenerator<Buffer> {
    const start = await this.next();
    if (start.kind !== 'section' || start.name !== name) throw notAuthentic(new ArchiveFormatError(`section ${name} expected`));
    for (;;) {
      const event = await this.next();
      if (event.kind !== 'data') {
        this.peeked = event;
        return;
      }
      yield event.bytes;
    }
  }

  async end(): Promise<void> {
    if ((await this.next()).kind !== 'end') throw notAuthentic(new ArchiveFormatError('bytes follow its last section'));
  }

  private async next(): Promise<PlaintextEvent> {
    if (this.peeked) {
      const event = this.peeked;
      this.peeked = null;
      return event;
    }
    try {
      const event = await this.events.next();
      if (event.done) throw new ArchiveFormatError('it ends too early');
      return event.value;
    } catch (error) {
      throw error instanceof ArchiveFormatError ? notAuthentic(error) : error;
    }
  }
}
