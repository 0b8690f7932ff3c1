/**
 * `lanterne verify` from outside: trusts nothing the server says that it cannot check. Only public
 * routes, plus the entries when the token may read them. No Nest, no database: fetch and hashes.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseCheckpointText, parseNote, VerifierKey, verifyNote } from '../common/signed-note';
import { checkCheckpointNote, logVerifierKey } from './c2sp-checkpoint';
import { Checkpoint, verifyCheckpoint } from './checkpoint';
import { CheckpointSchema, ConsistencyProofSchema, EntrySchema } from './ledger.schemas';
import { LogAudit } from './log-audit';
import { HASH_SIZE, rootFromLeafHashes, verifyConsistency } from './merkle';

export interface RemoteVerifyOptions {
  /** Base URL of the instance; the API is under /api/v1. */
  url: string;
  /** A bearer token allowed to read entries (admin, ccj): the whole log is then recomputed. */
  token?: string;
  /** A checkpoint saved by an earlier run: its key is pinned and the log must extend it. */
  since?: Checkpoint;
  onProgress?: (verified: number, total: number) => void;
  /**
   * A witness policy: the checkpoint must carry valid cosignatures of at least `quorum` of these; a
   * witness with a URL (its tlog-witness monitoring prefix) is also asked what it last cosigned.
   */
  witnesses?: { key: VerifierKey; url?: string }[];
  quorum?: number;
}

export interface RemoteVerifyReport {
  ok: boolean;
  /** The fetched checkpoint, once its signature verified: what to save for the next run. */
  checkpoint?: Checkpoint;
  firstBadIndex?: number;
  failure?: string;
  /** What was checked, in words. */
  checked: string[];
  /** What could not be checked with what was given, in words: empty when the whole log was recomputed. */
  notChecked: string[];
  warnings: string[];
}

export async function verifyRemoteLedger(options: RemoteVerifyOptions): Promise<RemoteVerifyReport> {
  const report: RemoteVerifyReport = { ok: false, checked: [], notChecked: [], warnings: [] };
  const api = new LedgerApi(options.url, options.token);
  try {
    const checkpoint = CheckpointSchema.parse(await api.get('/ledger/checkpoint'));
    const { since } = options;
    if (!since) report.warnings.push('No saved checkpoint: the key the server presents is trusted as is. Keep this checkpoint (--save) to pin it.');
    if (!verifyCheckpoint(since?.publicKey ?? checkpoint.publicKey, checkpoint)) {
      return { ...report, failure: `the checkpoint's signature does not verify against ${since ? 'the key pinned by your saved checkpoint' : 'the key it names'}` };
    }
    report.checked.push(`checkpoint of ${checkpoint.treeSize} entries signed at ${checkpoint.timestamp}: signature valid`);
    if (options.witnesses?.length) {
      const failure = await checkWitnesses(api, checkpoint, options.witnesses, options.quorum ?? options.witnesses.length, report);
      if (failure) return { ...report, failure };
    }
    if (since) {
      if (!(await extendsSaved(api, since, checkpoint))) {
        return { ...report, failure: `the log no longer extends your saved checkpoint of ${since.treeSize} entries (${since.timestamp}): history was rewritten` };
      }
      report.checked.push(`consistency proof from your saved checkpoint (${since.treeSize} entries, ${since.timestamp}): valid`);
    }
    if (!options.token) {
      report.notChecked.push(`the ${checkpoint.treeSize} entries themselves: not read without a token that may read them (--token)`);
      return { ...report, ok: true, checkpoint };
    }
    const failure = await auditEntries(api, checkpoint, since, options.onProgress);
    if (failure) return { ...report, ...failure };
    report.checked.push(`all ${checkpoint.treeSize} entries recomputed: their root is the signed one`);
    return { ...report, ok: true, checkpoint };
  } catch (error) {
    return { ...report, failure: error instanceof z.ZodError ? `the server answered something malformed: ${error.issues[0]?.message}` : String((error as Error).message) };
  }
}

/**
 * The C2SP side: the text checkpoint must be the same tree head, signed by the pinned key under its
 * origin, and cosigned by a quorum of the policy's witnesses; a witness that cosigned another tree of
 * the same size, or one the served tree is not consistent with, betrays a split view.
 */
async function checkWitnesses(api: LedgerApi, checkpoint: Checkpoint, witnesses: NonNullable<RemoteVerifyOptions['witnesses']>, quorum: number, report: RemoteVerifyReport): Promise<string | null> {
  const note = await api.getText('/ledger/checkpoint');
  const origin = note.split('\n')[0];
  const logKey = logVerifierKey(origin, checkpoint.publicKey);
  const check = checkCheckpointNote(note, logKey, { witnesses: witnesses.map((w) => w.key), quorum });
  if (!check.ok) return check.reason;
  if (check.checkpoint.treeSize !== checkpoint.treeSize || check.checkpoint.rootHash.toString('hex') !== checkpoint.rootHash) {
    return `the text checkpoint (${check.checkpoint.treeSize} entries) is not the tree head of the JSON one (${checkpoint.treeSize} entries): two views served at once`;
  }
  report.checked.push(`C2SP checkpoint of ${origin}: log signature valid, cosigned by ${check.cosigners.join(', ') || 'no witness'} (quorum ${quorum})`);
  for (const witness of witnesses.filter((w) => w.url)) {
    const seen = await witnessView(witness.url as string, origin, logKey, witness.key);
    if (typeof seen === 'string') {
      report.warnings.push(`${witness.key.name}: ${seen}`);
      continue;
    }
    const [small, large] = seen.treeSize <= checkpoint.treeSize ? [seen, { treeSize: checkpoint.treeSize, rootHash: hexBuffer(checkpoint.rootHash) }] : [{ treeSize: checkpoint.treeSize, rootHash: hexBuffer(checkpoint.rootHash) }, seen];
    const consistent =
      small.treeSize === large.treeSize
        ? small.rootHash.equals(large.rootHash)
        : verifyConsistency(small.treeSize, large.treeSize, small.rootHash, large.rootHash, (await api.consistency(small.treeSize, large.treeSize)).map(hexBuffer));
    if (!consistent) {
      return `${witness.key.name} cosigned a tree of ${seen.treeSize} entries that the served one of ${checkpoint.treeSize} is not consistent with: the log shows different views (split view)`;
    }
    report.checked.push(`${witness.key.name} last cosigned ${seen.treeSize} entries, consistent with the served tree`);
  }
  return null;
}

/** What a witness last cosigned for the origin, checked against its key and the log's; a string says why it could not be read. */
async function witnessView(url: string, origin: string, logKey: VerifierKey, witnessKey: VerifierKey): Promise<{ treeSize: number; rootHash: Buffer } | string> {
  const address = `${url.replace(/\/+$/, '')}/${createHash('sha256').update(origin, 'utf8').digest('hex')}/checkpoint`;
  try {
    const response = await fetch(address);
    if (!response.ok) return `its latest cosigned checkpoint could not be read (${response.status})`;
    const note = parseNote(await response.text());
    if (verifyNote(note, [witnessKey]).verified.length === 0 || verifyNote(note, [logKey]).verified.length === 0) return 'what it serves is not signed by it and by the log';
    return parseCheckpointText(note.text);
  } catch (error) {
    return `its latest cosigned checkpoint could not be read (${(error as Error).message})`;
  }
}

async function extendsSaved(api: LedgerApi, saved: Checkpoint, current: Checkpoint): Promise<boolean> {
  if (current.treeSize < saved.treeSize) return false;
  const proof = ConsistencyProofSchema.parse(await api.get(`/ledger/proofs/consistency?first=${saved.treeSize}&second=${current.treeSize}`));
  return verifyConsistency(saved.treeSize, current.treeSize, hexBuffer(saved.rootHash), hexBuffer(current.rootHash), proof.path.map(hexBuffer));
}

/** Reads every entry, recomputes the tree and holds it against the checkpoints; names the first bad entry. */
async function auditEntries(api: LedgerApi, checkpoint: Checkpoint, since: Checkpoint | undefined, onProgress?: (verified: number, total: number) => void) {
  const total = checkpoint.treeSize;
  const anchors = [{ treeSize: total, rootHash: hexBuffer(checkpoint.rootHash), label: 'the checkpoint just fetched' }];
  if (since) anchors.push({ treeSize: since.treeSize, rootHash: hexBuffer(since.rootHash), label: 'your saved checkpoint' });
  const audit = new LogAudit(anchors);
  // Recomputed leaf hashes, kept to locate a bad entry if a root does not match: 32 bytes an entry.
  const leafHashes = Buffer.alloc(total * HASH_SIZE);
  while (audit.size < total && !audit.failure) {
    const page = z.array(EntrySchema).parse(await api.get(`/ledger/entries?start=${audit.size}&end=${total}`));
    if (page.length === 0) audit.fail({ index: audit.size, reason: `the server returned no entry from ${audit.size}` });
    for (const entry of page) {
      const [leaf] = audit.add(entry.index, Buffer.from(entry.leaf, 'utf8'), hexBuffer(entry.leafHash));
      leaf?.hash.copy(leafHashes, leaf.index * HASH_SIZE);
    }
    onProgress?.(audit.size, total);
  }
  const failure = audit.finish();
  if (!failure) return null;
  if (failure.index !== undefined) return { firstBadIndex: failure.index, failure: `entry ${failure.index}: ${failure.reason}` };
  // Every leaf matched its served hash, yet a root differs: the served leaves are not the signed ones.
  const firstBadIndex = await locate(api, leafHashes, audit.size, checkpoint);
  return { firstBadIndex, failure: `entry ${firstBadIndex}: the signed tree cannot be proved to hold it as served (${failure.reason})` };
}

/**
 * The first leaf the signed tree disagrees with: a binary search on m for the largest prefix whose
 * recomputed root the server can prove consistent with the signed root (true for 0, false for `bad`).
 */
async function locate(api: LedgerApi, leafHashes: Buffer, bad: number, checkpoint: Checkpoint): Promise<number> {
  let good = 0;
  while (bad - good > 1) {
    const m = Math.floor((good + bad) / 2);
    const proof = ConsistencyProofSchema.parse(await api.get(`/ledger/proofs/consistency?first=${m}&second=${checkpoint.treeSize}`));
    const prefix = Array.from({ length: m }, (_, i) => leafHashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
    if (verifyConsistency(m, checkpoint.treeSize, rootFromLeafHashes(prefix), hexBuffer(checkpoint.rootHash), proof.path.map(hexBuffer))) good = m;
    else bad = m;
  }
  return good;
}

/** GETs the public (or token-readable) routes of an instance under /api/v1; a non-2xx answer throws, naming the status and the problem's detail. */
export class LedgerApi {
  private readonly base: string;

  constructor(
    url: string,
    private readonly token?: string,
  ) {
    const trimmed = url.replace(/\/+$/, '');
    this.base = trimmed.endsWith('/api/v1') ? trimmed : `${trimmed}/api/v1`;
  }

  async consistency(first: number, second: number): Promise<string[]> {
    return ConsistencyProofSchema.parse(await this.get(`/ledger/proofs/consistency?first=${first}&second=${second}`)).path;
  }

  async getText(path: string): Promise<string> {
    const response = await fetch(`${this.base}${path}`, { headers: { accept: 'text/plain' } }).catch((error: Error) => {
      throw new Error(`cannot reach ${this.base}: ${error.message}`);
    });
    if (!response.ok) throw new Error(`GET ${path.split('?')[0]} (text/plain) answered ${response.status}`);
    return response.text();
  }

  async get(path: string): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} }).catch((error: Error) => {
      throw new Error(`cannot reach ${this.base}: ${error.message}`);
    });
    const body = (await response.json().catch(() => null)) as { detail?: unknown } | null;
    if (!response.ok) throw new Error(`GET ${path.split('?')[0]} answered ${response.status}${typeof body?.detail === 'string' ? `: ${body.detail}` : ''}`);
    return body;
  }
}

export const hexBuffer = (hex: string) => Buffer.from(hex, 'hex');
