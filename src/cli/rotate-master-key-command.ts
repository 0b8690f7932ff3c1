import { Presets, SingleBar } from 'cli-progress';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, parseMasterKey } from '../config/config';
import { MasterKeyRotation, RotationProgress, RotationReport } from '../identity/master-key-rotation.service';
import { MasterKeyMismatchError } from '../identity/master-key-check';
import { withApplication } from './with-application';

const RUNNING = 'the service is running on this data dir: stop it first (it holds the master key in memory), then rotate';

/**
 * `lanterne rotate-master-key`. In embedded mode with the key in the data dir, the new key is written
 * beside the old one first (keys/master.key.next, kept until the end so an interrupted run resumes
 * with the same key), and replaces keys/master.key once the database has made it current.
 */
export async function runRotateMasterKey(options: { newKeyFile?: string }): Promise<void> {
  const config = loadConfig();
  const keyInDataDir = config.mode === 'embedded' && !config.keys.masterKey;
  const keysDir = join(config.dataDir, 'keys');
  const nextFile = join(keysDir, 'master.key.next');
  if (!options.newKeyFile && !keyInDataDir) throw new Error('--new-key-file is required when the master key comes from the environment');
  if (!options.newKeyFile && !existsSync(nextFile)) writeFileSync(nextFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  const keyFile = options.newKeyFile ?? nextFile;
  const newKey = parseMasterKey(readFileSync(keyFile, 'utf8').trim(), '--new-key-file');

  const progress = new ProgressBars();
  let report: RotationReport | null = null;
  try {
    await withApplication('rotate-master-key', async (app) => void (report = await app.get(MasterKeyRotation).rotate(newKey, progress.update)), { exclusive: RUNNING });
  } catch (error) {
    if (!(error instanceof MasterKeyMismatchError)) throw error;
    // An earlier run may have finished in the database and stopped before the key file was replaced.
    await withApplication('rotate-master-key', async () => undefined, { exclusive: RUNNING, keys: (keys) => ({ ...keys, masterKey: newKey }) }).catch(() => {
      throw error;
    });
  } finally {
    progress.stop();
  }

  if (keyInDataDir) {
    const installing = join(keysDir, 'master.key.installing');
    writeFileSync(installing, newKey.toString('base64'), { mode: 0o600 });
    chmodSync(installing, 0o600);
    renameSync(installing, join(keysDir, 'master.key'));
    rmSync(nextFile, { force: true });
  }
  const done = report as RotationReport | null;
  process.stdout.write(
    done
      ? `re-wrapped ${done.dataKeys} data key(s) and re-sealed ${done.ledgerValues} ledger value(s): master key ${done.from} → ${done.to}\n`
      : 'the new master key was already current: nothing left to re-wrap\n',
  );
  process.stdout.write(
    keyInDataDir
      ? `the new key is in ${join(keysDir, 'master.key')}; back it up apart from the database, and destroy copies of the old one\n`
      : 'set LANTERNE_MASTER_KEY (or LANTERNE_MASTER_KEY_FILE) to the new key before starting the service: the old one is now refused\n',
  );
}

/** One bar per phase of the rotation, on standard error. */
class ProgressBars {
  private bar: SingleBar | null = null;
  private phase: Parameters<RotationProgress>[0] | null = null;

  readonly update: RotationProgress = (phase, done, total) => {
    if (phase !== this.phase) {
      this.bar?.stop();
      this.phase = phase;
      this.bar = new SingleBar({ stream: process.stderr, format: `re-wrapping ${PHASES[phase]} [{bar}] {value}/{total}` }, Presets.shades_classic);
      this.bar.start(total, done);
    }
    this.bar?.setTotal(total);
    this.bar?.update(done);
  };

  stop(): void {
    this.bar?.stop();
  }
}

const PHASES = { 'data-keys': 'data keys', 'ledger-values': 'ledger values' } as const;
