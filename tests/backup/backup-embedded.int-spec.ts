import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli';

const identity = 'AGE-SECRET-KEY-15RKJ6P389KDEPY433U38W3M094DD67SU68K335UNCC50W82KZ95SQA3DZE';
const recipients = 'age1y044hprc47pqvym6wfr8yg0xze2lxk7utslak46rdcynr83mrp6q34swz0';
const work = mkdtempSync(join(tmpdir(), 'lanterne-backup-embedded-'));
const original = join(work, 'original');
const fresh = join(work, 'fresh');
const archive = join(work, 'embedded.lbk');
const env = (dataDir: string) => ({ NODE_ENV: 'test', LANTERNE_DATA_DIR: dataDir, LANTERNE_BACKUP_RECIPIENTS: recipients, LANTERNE_BACKUP_IDENTITY: identity, LANTERNE_LOG_LEVEL: 'warn' });
afterAll(() => rmSync(work, { recursive: true, force: true }));

// PGlite runs in processes of their own (jest's sandbox refuses its WASM loading), as an operator runs the commands.
describe('backup and restore in embedded mode', () => {
  it('restores-a-data-dir-into-a-fresh-one-holding-only-the-keys-and-refuses-a-second-restore-there', async () => {
    expect((await runCli(['create-admin', '--name', 'before the seizure'], env(original))).code).toBe(0);
    const backedUp = await runCli(['backup', '--out', archive], env(original));
    expect(backedUp.stderr).not.toMatch(/error/i);
    expect(backedUp.code).toBe(0);

    // The keys travel apart from the archive: the fresh machine gets them first.
    const withoutKeys = await runCli(['restore', archive], env(fresh));
    expect(withoutKeys.code).toBe(1);
    expect(withoutKeys.stderr).toContain("the ledger's signing key travels apart from the archive");
    cpSync(join(original, 'keys'), join(fresh, 'keys'), { recursive: true });

    const restored = await runCli(['restore', archive], env(fresh));
    expect(restored.stderr).not.toMatch(/error/i);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('restored the embedded archive');
    expect(restored.stdout).toContain('ledger verified');
    expect((await runCli(['create-admin', '--name', 'after the restore'], env(fresh))).code).toBe(0);

    const again = await runCli(['restore', archive], env(fresh));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds a database');
  }, 300_000);
});
