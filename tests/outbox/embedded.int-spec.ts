import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnFromSource } from '../support/run-cli';

let dataDir: string;
let outboxDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lanterne-embedded-outbox-'));
  outboxDir = mkdtempSync(join(tmpdir(), 'lanterne-outbox-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outboxDir, { recursive: true, force: true });
});

describe('the outbox in embedded mode (PGlite, and BullMQ on its PostgreSQL backend)', () => {
  it('sends a message once its transaction commits, and none of a transaction that rolls back', async () => {
    const run = spawnFromSource('tests/outbox/embedded-outbox.fixture.ts', [], { LANTERNE_DATA_DIR: dataDir, LANTERNE_OUTBOX: `file:${outboxDir}`, PORT: '0', HOST: '127.0.0.1', LANTERNE_LOG_LEVEL: 'warn' });
    expect(await run.exited).toBe(0);
    const line = /^OUTBOX (.*)$/m.exec(run.stdout());
    if (!line) throw new Error(run.output());
    const result = JSON.parse(line[1]);
    expect(result.committed).toMatchObject({ status: 'sent', attempts: 1 });
    expect(result.rolledBack).toEqual({ id: expect.any(String), status: null });
    expect(readdirSync(outboxDir)).toEqual([`${result.committed.id}.json`]);
    expect(JSON.parse(readFileSync(join(outboxDir, `${result.committed.id}.json`), 'utf8'))).toMatchObject({ channel: 'sms', to: '+32470123456', code: '123456' });
  }, 180_000);
});
