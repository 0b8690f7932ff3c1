import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeActiveSubscription, makePool } from '../factories/network.factory';
import { runCli } from '../support/run-cli';
import { TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let dir: string;

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp());
  await makePool(app, tech, '192.0.2.0/24', 32);
  dir = mkdtempSync(join(tmpdir(), 'lanterne-import-'));
});
afterAll(() => app.close());

const countAssignments = async () => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ip_assignments`))[0].n);

function csvFile(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('lanterne import-assignments', () => {
  it('reports-every-rejected-line-with-its-reason-exits-non-zero-and-imports-nothing', async () => {
    const sub = await makeActiveSubscription(app, tech, { startsAt: '2020-01-01T00:00:00Z' });
    const file = csvFile('bad.csv', [
      'subscription,prefix,from,until',
      `${sub},192.0.2.20,2021-01-01T00:00:00Z,2021-06-01T00:00:00Z`,
      `${sub},192.0.2.21/31,2021-01-01T00:00:00Z,`,
      `${sub},198.51.100.7,2021-01-01T00:00:00Z,`,
    ]);
    const result = await runCli(['import-assignments', file], app.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 3: .+/);
    expect(result.stderr).toMatch(/line 4: .+/);
    expect(result.stderr).not.toMatch(/line 2:/);
    expect(result.stderr).toContain('nothing imported: 2 line(s) rejected');
    expect(await countAssignments()).toBe(0);
  });

  it('imports-a-clean-file-and-says-how-many', async () => {
    const sub = await makeActiveSubscription(app, tech, { startsAt: '2020-01-01T00:00:00Z' });
    const file = csvFile('good.csv', ['subscription,prefix,from,until', `${sub},192.0.2.30,2021-01-01T00:00:00Z,2021-06-01T00:00:00Z`, `${sub},192.0.2.31,2022-01-01T00:00:00Z,`]);
    const result = await runCli(['import-assignments', file], app.env);
    expect(result.stdout).toContain('imported 2 assignment(s)');
    expect(result.code).toBe(0);
    expect(await countAssignments()).toBe(2);
  });
});
