import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimDataDir, DataDirClaim, DataDirLock, describeHolder } from './data-dir-lock';

let dir: string;
const lockFile = () => join(dir, 'pgdata.lock');
const held = (claim: DataDirClaim): DataDirLock => {
  if (!('lock' in claim)) throw new Error(`expected the lock, found ${JSON.stringify(claim.holder)}`);
  return claim.lock;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lanterne-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('claimDataDir', () => {
  it('the-first-opener-gets-the-dir-and-a-second-is-told-who-has-it', () => {
    const lock = held(claimDataDir(dir, 'serve'));
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual({ pid: process.pid, host: hostname(), command: 'serve' });
    expect(claimDataDir(dir, 'migrate')).toEqual({ holder: { pid: process.pid, host: hostname(), command: 'serve' } });
    lock.release();
  });

  it('the-service-announces-where-its-database-listens', () => {
    const lock = held(claimDataDir(dir, 'serve'));
    lock.announce('postgres://postgres@127.0.0.1:5999/postgres');
    expect(claimDataDir(dir, 'create-admin')).toEqual({ holder: expect.objectContaining({ url: 'postgres://postgres@127.0.0.1:5999/postgres' }) });
    lock.release();
  });

  it('a-released-dir-can-be-claimed-again', () => {
    held(claimDataDir(dir, 'migrate')).release();
    expect(existsSync(lockFile())).toBe(false);
    held(claimDataDir(dir, 'serve')).release();
  });

  it('a-lock-left-by-a-process-that-is-gone-is-taken-over', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(lockFile(), JSON.stringify({ pid: gone, host: hostname(), command: 'serve', url: 'postgres://postgres@127.0.0.1:1/postgres' }));
    const lock = held(claimDataDir(dir, 'serve'));
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('a-lock-with-this-pid-from-a-previous-life-is-taken-over', () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: process.pid, host: hostname(), command: 'serve' }));
    held(claimDataDir(dir, 'serve')).release();
  });

  it('a-lock-held-from-another-host-is-respected', () => {
    const holder = { pid: 4242, host: 'elsewhere', command: 'serve' };
    writeFileSync(lockFile(), JSON.stringify(holder));
    expect(claimDataDir(dir, 'serve')).toEqual({ holder });
  });
});

describe('describeHolder', () => {
  const here = hostname();
  it.each([
    ['a-running-service', { pid: 7, host: here, command: 'serve', url: 'postgres://x' }, 'Lanterne (process 7) serves from data dir /d: stop it first, or choose another LANTERNE_DATA_DIR'],
    ['a-service-still-starting', { pid: 7, host: here, command: 'serve' }, 'Lanterne (process 7) serves from data dir /d and is still starting: try again once it serves'],
    ['a-command', { pid: 7, host: here, command: 'migrate' }, '`lanterne migrate` (process 7) has data dir /d open: wait until it finishes'],
    ['a-command-on-another-host', { pid: 7, host: 'b', command: 'migrate' }, '`lanterne migrate` (process 7 on host b) has data dir /d open: wait until it finishes'],
  ])('names-%s', (_, holder, message) => {
    expect(describeHolder('/d', holder)).toBe(message);
  });
});
