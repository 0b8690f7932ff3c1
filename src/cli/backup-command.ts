import { Presets, SingleBar } from 'cli-progress';
import { BackupService } from '../backup/backup.service';
import { loadConfig } from '../config/config';
import { restoreArchive, RestoreOptions, RestoreProgress, verifyRestoredLedger } from '../backup/restore';
import { withApplication } from './with-application';

const MB = 1024 * 1024;

/** `lanterne backup --out <file>`: one encrypted, signed archive of the instance. */
export async function runBackup(options: { out: string }): Promise<void> {
  const bar = new SingleBar({ stream: process.stderr, format: 'writing the archive [{bar}] {value}/{total} MB (total estimated)' }, Presets.shades_classic);
  let started = false;
  try {
    await withApplication('backup', async (app) => {
      const report = await app.get(BackupService).write(options.out, {
        scheduled: false,
        progress: (written, estimate) => {
          if (!started) bar.start(Math.ceil(estimate / MB), 0);
          started = true;
          bar.setTotal(Math.ceil(estimate / MB));
          bar.update(Math.ceil(written / MB));
        },
      });
      bar.stop();
      process.stdout.write(`wrote ${report.file} (${report.bytes} bytes, ledger checkpoint of ${report.treeSize} entries)\n`);
    });
  } finally {
    bar.stop();
  }
}

/** `lanterne restore <file>`: into an empty database or data dir, then the restored ledger checked against the archived checkpoint. */
export async function runRestore(options: RestoreOptions): Promise<void> {
  const config = loadConfig();
  const bars = new PhaseBars();
  let restored: Awaited<ReturnType<typeof restoreArchive>>;
  try {
    restored = await restoreArchive(config, options, bars.update);
  } finally {
    bars.stop();
  }
  const { manifest, checkpoint } = restored;
  await withApplication('restore', async (app) => {
    const ledger = await verifyRestoredLedger(app, checkpoint);
    process.stdout.write(
      [
        `restored the ${manifest.mode} archive of ${manifest.createdAt} (Lanterne ${manifest.lanterneVersion})`,
        `ledger verified: ${ledger.treeSize} entries, root ${ledger.rootHash}`,
        `consistent with the archived checkpoint: ${checkpoint.treeSize} entries, root ${checkpoint.rootHash}, signed ${checkpoint.timestamp}`,
        '',
      ].join('\n'),
    );
  });
}

/** One bar per phase of a restore, on standard error, in MB. */
class PhaseBars {
  private bar: SingleBar | null = null;
  private phase: string | null = null;

  readonly update: RestoreProgress = (phase, done, total) => {
    if (phase !== this.phase) {
      this.bar?.stop();
      this.phase = phase;
      this.bar = new SingleBar({ stream: process.stderr, format: `${phase === 'verifying' ? 'checking the signature' : 'decrypting and restoring'} [{bar}] {value}/{total} MB` }, Presets.shades_classic);
      this.bar.start(Math.ceil(total / MB), 0);
    }
    this.bar?.update(Math.ceil(done / MB));
  };

  stop(): void {
    this.bar?.stop();
  }
}
