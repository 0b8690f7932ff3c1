#!/usr/bin/env node
// The registry reachable here serves only this platform's builds of some native packages, so
// `npm install` leaves their other-platform optional dependencies out of package-lock.json, and
// `npm ci` (npm 11) then refuses the lock as out of sync. Recording them as optional entries makes
// the lock complete again; each carries the os/cpu/libc its registry metadata declares (and its
// integrity), so `npm ci` installs on each platform only the build made for it.
// Run after any `npm install` that changes the lock: node scripts/complete-lockfile.mjs
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const LOOKUPS_AT_ONCE = 6;

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const meta of Object.values(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    packages[key] = { version, ...(meta.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}

// Entries npm wrote itself carry an integrity; those written here get theirs, and their platform, from the registry.
const incomplete = Object.entries(packages).filter(([key, meta]) => key !== '' && meta.optional && !meta.integrity);
const queue = [...incomplete];
await Promise.all(
  Array.from({ length: LOOKUPS_AT_ONCE }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, meta] = next;
      const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const { stdout } = await promisify(execFile)('npm', ['view', `${name}@${meta.version}`, 'os', 'cpu', 'libc', 'dist.integrity', '--json']);
      const view = JSON.parse(stdout || '{}');
      packages[key] = {
        version: meta.version,
        ...(view['dist.integrity'] ? { integrity: view['dist.integrity'] } : {}),
        ...(meta.dev ? { dev: true } : {}),
        optional: true,
        ...(view.os ? { os: view.os } : {}),
        ...(view.cpu ? { cpu: view.cpu } : {}),
        ...(view.libc ? { libc: view.libc } : {}),
      };
    }
  }),
);

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: ${added} optional entries added, ${incomplete.length} given their platform from the registry`);
