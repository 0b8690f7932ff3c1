import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { reportFigure } from './support';

const ROOT = join(__dirname, '..');
const RUNS = 3;
const TARGETS = { cold: 5000, restart: 3000 };

/** A bare Node HTTP server: what spawning a process and answering one request costs on this machine now. */
const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')`;

/**
 * Embedded start-up as `npm start` runs it (the build, `node dist/main.js`), each measured from
 * spawn to the first `/health` 200: a cold start on a fresh data dir, and a restart on that dir.
 * Not counted: the build, which `npm ci` did (it is brought up to date first, untimed).
 * BENCH_BEFORE=<checkout> (built, with its node_modules) also times that checkout's start-up in the
 * same turns: a before/after that the machine's other load disturbs alike.
 */
export async function run(): Promise<void> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');

  const bare: Timing[] = [];
  const cold: Timing[] = [];
  const restart: Timing[] = [];
  const before = process.env.BENCH_BEFORE;
  const beforeCold: Timing[] = [];
  const beforeRestart: Timing[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'lanterne-bench-startup-'));
    try {
      bare.push(await timeToHealthy(['-e', BARE_SERVER], '/'));
      cold.push(await timeToHealthy([join(ROOT, 'dist', 'main.js')], '/health', dataDir));
      restart.push(await timeToHealthy([join(ROOT, 'dist', 'main.js')], '/health', dataDir));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    if (!before) continue;
    const beforeDir = mkdtempSync(join(tmpdir(), 'lanterne-bench-startup-'));
    try {
      beforeCold.push(await timeToHealthy([join(before, 'dist', 'main.js')], '/health', beforeDir, before));
      beforeRestart.push(await timeToHealthy([join(before, 'dist', 'main.js')], '/health', beforeDir, before));
    } finally {
      rmSync(beforeDir, { recursive: true, force: true });
    }
  }
  const baseline = median(bare.map((t) => t.ms));
  reportFigure(`baseline: bare node HTTP server, spawn to first 200 (median of ${RUNS})`, `${baseline.toFixed(0)} ms`);
  for (const [name, runs, target] of [
    ['cold start, fresh data dir', cold, TARGETS.cold],
    ['restart, existing data dir', restart, TARGETS.restart],
  ] as const) {
    const ms = median(runs.map((t) => t.ms));
    const verdict = ms <= target ? 'within target' : 'OVER TARGET';
    reportFigure(
      `embedded ${name}, spawn to /health 200 (median of ${RUNS})`,
      `${ms.toFixed(0)} ms (runs: ${runs.map((t) => t.ms.toFixed(0)).join(', ')}); ${(ms / baseline).toFixed(1)}× the baseline; target ≤ ${target} ms on 2 idle cores: ${verdict}`,
    );
    // On a busy machine the wall time mostly measures the others: the CPU the process itself spent is steadier.
    const cpu = runs.map((t) => t.cpuMs).filter((c): c is number => c !== undefined);
    if (cpu.length) reportFigure(`  CPU the process spent until then (median)`, `${median(cpu).toFixed(0)} ms`);
  }
  for (const [name, runs] of [
    ['cold start', beforeCold],
    ['restart', beforeRestart],
  ] as const) {
    if (runs.length === 0) continue;
    const cpu = runs.map((t) => t.cpuMs).filter((c): c is number => c !== undefined);
    reportFigure(
      `  before (${before}): ${name} (median of ${RUNS})`,
      `${median(runs.map((t) => t.ms)).toFixed(0)} ms (runs: ${runs.map((t) => t.ms.toFixed(0)).join(', ')})${cpu.length ? `, CPU ${median(cpu).toFixed(0)} ms` : ''}`,
    );
  }
}

interface Timing {
  ms: number;
  /** User and system time of the process until it answered, where /proc tells it. */
  cpuMs?: number;
}

/** Spawns node with `args` on a free port and polls `path` until it answers 200; then stops it. */
async function timeToHealthy(args: string[], path: string, dataDir?: string, cwd = ROOT): Promise<Timing> {
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LANTERNE_LOG_LEVEL: 'warn', ...(dataDir ? { LANTERNE_DATA_DIR: dataDir } : {}) };
  const start = performance.now();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before answering`);
      const status = await fetch(`http://127.0.0.1:${port}${path}`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return { ms: performance.now() - start, cpuMs: cpuTimeMs(child.pid) };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux). */
function cpuTimeMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
