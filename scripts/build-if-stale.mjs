#!/usr/bin/env node
// `npm start` starts what is built. It builds first only when dist/ is missing or older than a
// source (an install with --ignore-scripts, a pull, an edit): `npm ci` has built it already (the
// `prepare` script), and a restart should not pay for `nest build`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SOURCES = ['src', 'migrations', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

/** Newest modification time under `path`, leaving out unit tests, which the build leaves out too. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return path.endsWith('.spec.ts') ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

let built = 0;
try {
  built = statSync(join(root, 'dist', 'main.js')).mtimeMs;
} catch {
  // not built yet
}
const changed = Math.max(...SOURCES.map((source) => newest(join(root, source))));
if (built < changed) {
  process.stderr.write(built ? 'dist/ is older than the sources: building\n' : 'dist/ is missing: building\n');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(build.status ?? 1);
}
