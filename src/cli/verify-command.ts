import { SingleBar } from 'cli-progress';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseVerifierKey, SIGNATURE_TYPE, VerifierKey } from '../common/signed-note';
import { Checkpoint, verifyCheckpoint } from '../ledger/checkpoint';
import { CheckpointSchema } from '../ledger/ledger.schemas';
import { verifyAdminActionsPage } from '../governance/remote-admin-actions';
import { verifyRemoteLedger } from '../ledger/remote-verify';

/** Below this many entries the check is over before a progress bar would say anything. */
const PROGRESS_FROM = 10_000;

export interface VerifyCommandOptions {
  url: string;
  token?: string;
  since?: string;
  save?: string;
  /** Also check a page of the public log of admin actions against the verified checkpoint. */
  adminActions?: boolean;
  limit?: number;
  offset?: number;
  /** `<witness vkey>` or `<witness vkey> <monitoring URL>`, repeated. */
  witness?: string[];
  quorum?: string;
}

/**
 * `lanterne verify`: prints what was checked, and returns the exit code (1 on any failure, naming the
 * first bad entry when there is one). The new checkpoint is saved only when everything verified, so a
 * saved checkpoint is always one this tool accepted.
 */
export async function runVerifyCommand(options: VerifyCommandOptions, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let since: Checkpoint | undefined;
  if (options.since) {
    try {
      since = CheckpointSchema.parse(JSON.parse(readFileSync(options.since, 'utf8')));
    } catch {
      err.write(`cannot read a checkpoint from ${options.since}\n`);
      return 1;
    }
    if (!verifyCheckpoint(since.publicKey, since)) {
      err.write(`the checkpoint in ${options.since} does not carry a valid signature\n`);
      return 1;
    }
  }
  let witnesses: { key: VerifierKey; url?: string }[];
  try {
    witnesses = (options.witness ?? []).map((item) => {
      const [vkey, url] = item.trim().split(/\s+/);
      return { key: parseVerifierKey(vkey, SIGNATURE_TYPE.cosignatureV1), url };
    });
  } catch (error) {
    err.write(`--witness must be "<witness vkey>" or "<witness vkey> <URL>", the vkey of type 0x04: ${(error as Error).message}\n`);
    return 1;
  }
  const quorum = options.quorum === undefined ? witnesses.length : Number(options.quorum);
  if (!/^\d+$/.test(options.quorum ?? '0') || quorum > witnesses.length) {
    err.write(`--quorum must be a whole number, at most the ${witnesses.length} --witness given\n`);
    return 1;
  }
  const progress = progressBar(err);
  const report = await verifyRemoteLedger({ url: options.url, token: options.token, since, onProgress: progress.update, witnesses, quorum });
  progress.stop();
  if (report.ok && report.checkpoint && options.adminActions) {
    const page = await verifyAdminActionsPage(options.url, report.checkpoint, { limit: options.limit ?? 50, offset: options.offset ?? 0 });
    report.checked.push(...page.checked);
    report.notChecked.push(...page.notChecked);
    if (!page.ok) Object.assign(report, { ok: false, failure: page.failure });
  }
  for (const warning of report.warnings) err.write(`warning: ${warning}\n`);
  for (const line of report.checked) out.write(`ok: ${line}\n`);
  for (const line of report.notChecked) out.write(`not checked: ${line}\n`);
  if (!report.ok || !report.checkpoint) {
    err.write(`ledger verification FAILED: ${report.failure}\n`);
    return 1;
  }
  const file = options.save ?? options.since;
  if (file) {
    writeFileSync(file, `${JSON.stringify(report.checkpoint, null, 2)}\n`);
    out.write(`saved the checkpoint to ${file}\n`);
  }
  out.write(`${summary(report.checkpoint.treeSize, report.notChecked.length === 0, since !== undefined)}\n`);
  return 0;
}

/** The last line, which says no more than what was checked. */
function summary(treeSize: number, entriesRead: boolean, pinned: boolean): string {
  if (entriesRead) return `ledger verified: ${treeSize} entries`;
  const checks = pinned ? 'signature and consistency with your saved checkpoint' : 'signature';
  return `checkpoint verified (${checks}) for a log of ${treeSize} entries; the entries were not read`;
}

/** Shown on long logs only, and only once the total is known. */
function progressBar(stream: NodeJS.WritableStream) {
  let bar: SingleBar | null = null;
  return {
    update(verified: number, total: number) {
      if (!bar && total >= PROGRESS_FROM) {
        bar = new SingleBar({ stream, format: 'entries {bar} {value}/{total} {percentage}%', hideCursor: true });
        bar.start(total, 0);
      }
      bar?.update(verified);
    },
    stop() {
      bar?.stop();
    },
  };
}
