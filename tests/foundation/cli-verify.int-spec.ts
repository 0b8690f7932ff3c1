import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEntries } from '../support/ledger';
import { runCli } from '../support/run-cli';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let url: string;
let dir: string;

beforeAll(async () => {
  app = await createTestApp();
  url = app.lanterne.url as string;
  dir = mkdtempSync(join(tmpdir(), 'lanterne-cli-verify-'));
  await appendEntries(app, 3);
  await app.http.get('/api/v1/ledger/checkpoint').set(bearer(app.adminToken));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await app.close();
});

describe('lanterne verify --url', () => {
  it('without-a-token-says-it-checked-the-signature-only-and-read-no-entry', async () => {
    const result = await runCli(['verify', '--url', url, '--save', join(dir, 'first.json')], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: checkpoint of \d+ entries signed at .*: signature valid$/m);
    expect(result.stdout).toMatch(/^not checked: the \d+ entries themselves: not read without a token/m);
    expect(result.stdout).toMatch(/^checkpoint verified \(signature\) for a log of \d+ entries; the entries were not read$/m);
    expect(result.stdout).not.toContain('ledger verified');
  });

  it('without-a-token-but-a-saved-checkpoint-says-it-checked-the-consistency-too', async () => {
    await appendEntries(app, 2);
    const result = await runCli(['verify', '--url', url, '--since', join(dir, 'first.json')], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: consistency proof from your saved checkpoint .*: valid$/m);
    expect(result.stdout).toMatch(/^checkpoint verified \(signature and consistency with your saved checkpoint\) for a log of \d+ entries; the entries were not read$/m);
    expect(result.stdout).not.toContain('ledger verified');
  });

  it('with-a-token-recomputes-every-entry-and-says-so', async () => {
    const result = await runCli(['verify', '--url', url, '--token', app.adminToken], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: all (\d+) entries recomputed: their root is the signed one$/m);
    expect(result.stdout).not.toContain('not checked');
    expect(result.stdout).toMatch(/^ledger verified: \d+ entries$/m);
  });
});
