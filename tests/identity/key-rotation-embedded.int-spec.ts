import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startService } from '../support/run-cli';
import { eventually, outboxFiles } from '../support/outbox';

const dataDir = mkdtempSync(join(tmpdir(), 'lanterne-rotate-embedded-'));
const outbox = mkdtempSync(join(tmpdir(), 'lanterne-rotate-outbox-'));
const token = `test-admin-${'e'.repeat(32)}`;
const env = { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LANTERNE_DATA_DIR: dataDir, LANTERNE_OUTBOX: `file:${outbox}`, LANTERNE_BOOTSTRAP_TOKEN: token, LANTERNE_LOG_LEVEL: 'warn' };
const keyFile = join(dataDir, 'keys', 'master.key');
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outbox, { recursive: true, force: true });
});

async function call(base: string, method: string, path: string, body?: object, as = token) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${as}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

// PGlite runs in a process of its own (jest's sandbox refuses its WASM loading), as `npm start` runs it.
describe('lanterne rotate-master-key in embedded mode', () => {
  it('refuses-while-the-service-runs-then-replaces-the-key-file-and-the-old-key-is-refused', async () => {
    const service = await startService(env);
    try {
      const subscriber = await call(service.url as string, 'POST', '/subscribers', { displayName: 'Embedded', email: 'embedded@example.org' });
      const started = await call(service.url as string, 'POST', `/subscribers/${subscriber.body.id}/verifications`, { method: 'sms', phone: '+32470111222' });
      expect(started.status).toBe(201);
      // The embedded queue polls PGlite: the message takes a while.
      const message = await eventually(async () => [...(await outboxFiles(outbox)).values()].find((m) => m.code), 90_000);
      const tech = (await call(service.url as string, 'POST', '/users', { name: 'tech', roles: ['technician'] })).body.token as string;
      expect((await call(service.url as string, 'POST', `/verifications/${started.body.id}/confirm`, { code: message.code }, tech)).status).toBe(200);

      const beside = await runCli(['rotate-master-key'], env);
      expect(beside.code).toBe(1);
      expect(beside.stderr).toContain('the service is running on this data dir');
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }

    const oldKey = readFileSync(keyFile, 'utf8').trim();
    const rotated = await runCli(['rotate-master-key'], env);
    expect(rotated.stderr).not.toMatch(/error/i);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/re-wrapped 1 data key\(s\)/);
    const newKey = readFileSync(keyFile, 'utf8').trim();
    expect(Buffer.from(newKey, 'base64')).toHaveLength(32);
    expect(newKey).not.toBe(oldKey);
    expect(readdirSync(join(dataDir, 'keys')).sort()).toEqual(['master.key', 'signing.key', 'witness.key']);

    const withOldKey = await runCli(['create-admin', '--name', 'old key'], { ...env, LANTERNE_MASTER_KEY: oldKey });
    expect(withOldKey.code).toBe(1);
    expect(withOldKey.stderr).toContain("LANTERNE_MASTER_KEY is not this instance's current master key");
    expect((await runCli(['create-admin', '--name', 'new key'], env)).code).toBe(0);
  }, 240_000);
});
