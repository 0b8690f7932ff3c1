import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupService } from '../../src/backup/backup.service';
import { createTestApp, TestApp } from '../support/test-app';

const dir = mkdtempSync(join(tmpdir(), 'lanterne-scheduled-backups-'));
const recipients = 'age1y044hprc47pqvym6wfr8yg0xze2lxk7utslak46rdcynr83mrp6q34swz0';
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_BACKUP_RECIPIENTS: recipients, LANTERNE_BACKUP_DIR: dir, LANTERNE_BACKUP_EVERY: '6', LANTERNE_BACKUP_KEEP: '2' });
});
afterAll(() => app.close());

describe('scheduled backups', () => {
  it('are-scheduled-on-the-hour-at-the-configured-period', async () => {
    const scheduler = await app.lanterne.app.get<Queue>(getQueueToken('backup')).getJobScheduler('write');
    expect(scheduler).toMatchObject({ pattern: '0 */6 * * *', tz: 'UTC' });
  });

  it('write-an-archive-per-run-keep-the-newest-and-leave-other-files-alone', async () => {
    writeFileSync(join(dir, 'README'), 'not an archive');
    const backups = app.lanterne.app.get(BackupService);
    const runs = [];
    for (let run = 0; run < 3; run++) {
      runs.push(await backups.runScheduled());
      app.clock.advance(6 * 3600_000);
    }
    expect(runs.map((run) => run.pruned)).toEqual([[], [], ['lanterne-20260601T120000Z.lbk']]);
    expect(readdirSync(dir).sort()).toEqual(['README', 'lanterne-20260601T180000Z.lbk', 'lanterne-20260602T000000Z.lbk']);
    expect(readFileSync(join(dir, 'lanterne-20260602T000000Z.lbk')).subarray(0, 21).toString()).toBe('age-encryption.org/v1');

    const leaves = await app.sql<{ leaf: Buffer }>(`SELECT leaf FROM ledger_leaves ORDER BY index`);
    const written = leaves.map((row) => JSON.parse(row.leaf.toString())).filter((leaf) => leaf.action === 'backup.written');
    expect(written).toHaveLength(3);
    for (const [i, leaf] of written.entries()) {
      expect(leaf.refs).toEqual({ bytes: runs[i].written.bytes, treeSize: runs[i].written.treeSize, databaseFormat: 'pg_dump-custom', scheduled: true });
    }
    // Each archive's checkpoint covers the entry of the one before.
    expect(runs[1].written.treeSize).toBeGreaterThan(runs[0].written.treeSize);
  });
});
