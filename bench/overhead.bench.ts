import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { testEnvironment } from '../tests/support/test-app';
import { reportFigure, reportRatio } from './support';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONNECTIONS = 10;
const WARM_UP_S = 2;
const ROUNDS = 3;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const ROOT = join(__dirname, '..');

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
// autocannon ships no types; this is the part of its API the bench uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;

/**
 * Lanterne's cost per request against a bare node:http server doing the same work (the token-hash
 * lookup, the same SQL through `pg`, a JSON answer), in one run, on one fresh database and Redis:
 * both are loaded by autocannon with the same connections and duration, one after the other,
 * on GET /me, a current GET /ip-assignments?address= and /health. A third server, the same work in
 * a bare Nest application on Express, shows how much of the gap the framework alone takes. Each server is its own process,
 * so the load generator does not share its event loop. BENCH_CPU_PROF=<dir> writes a CPU profile
 * of the Lanterne process there, to see where the time goes. BENCH_BEFORE=<checkout> also starts
 * the Lanterne of another checkout (with its node_modules) on the same database and loads it in
 * the same turns: a before/after that the machine's other load disturbs alike.
 */
export async function run(): Promise<void> {
  const name = `lanterne_bench_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = `${SERVER}/${name}`;
  // The tests' production-mode environment; request lines are logged, as in production.
  const environment = testEnvironment(url, { NODE_ENV: 'production', REDIS_URL: REDIS, LANTERNE_ROLE: 'api', LANTERNE_LOG_LEVEL: 'info' });
  const token = environment.LANTERNE_BOOTSTRAP_TOKEN;
  const startLanterne = (root: string, nodeOptions: string[] = []) => start(join(root, 'src/main.ts'), /API +(http:\/\/\S+)\/api\/v1/, environment, nodeOptions, root);
  const lanterne = await startLanterne(ROOT, process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);
  let bare: Started | undefined;
  let framework: Started | undefined;
  let before: Started | undefined;
  try {
    const bareEnvironment = { BARE_DATABASE_URL: url, BARE_REDIS_URL: REDIS };
    bare = await start(join(ROOT, 'bench/overhead-bare-server.ts'), /listening (http:\/\/\S+)/, bareEnvironment);
    framework = await start(join(ROOT, 'bench/overhead-framework-server.ts'), /listening (http:\/\/\S+)/, bareEnvironment);
    if (process.env.BENCH_BEFORE) before = await startLanterne(process.env.BENCH_BEFORE);
    const address = await seedAssignment(lanterne.url, token);
    const auth = { authorization: `Bearer ${token}` };
    const routes: { name: string; path: string; headers: Record<string, string> }[] = [
      { name: 'GET /me', path: '/api/v1/me', headers: auth },
      { name: 'GET /ip-assignments?address= (current)', path: `/api/v1/ip-assignments?address=${encodeURIComponent(address)}`, headers: auth },
      { name: 'GET /health', path: '/health', headers: {} },
    ];
    const lanterneMs: Record<string, number> = {};
    for (const route of routes) {
      const servers = before ? [lanterne, bare, framework, before] : [lanterne, bare, framework];
      const [measured, baseline, floor, earlier] = await loadTurnAbout(servers.map((server) => ({ server, url: `${server.url}${route.path}`, headers: route.headers })));
      lanterneMs[route.name] = measured.ms;
      reportFigure(
        `${route.name} requests/s`,
        `Lanterne ${measured.rps.toFixed(0)}, bare node:http ${baseline.rps.toFixed(0)} (medians of ${ROUNDS} turns of ${DURATION_S} s, ${CONNECTIONS} connections)`,
      );
      reportFigure(`${route.name} server CPU per request`, `Lanterne ${measured.cpuMs.toFixed(3)} ms, bare node:http ${baseline.cpuMs.toFixed(3)} ms`);
      reportFigure(
        `${route.name} framework floor (bare Nest on Express, same work)`,
        `${floor.rps.toFixed(0)} requests/s, server CPU ${floor.cpuMs.toFixed(3)} ms per request, time per request ${(floor.ms / baseline.ms).toFixed(2)}× the bare server's`,
      );
      if (earlier) {
        reportFigure(`${route.name} before (${process.env.BENCH_BEFORE})`, `${earlier.rps.toFixed(0)} requests/s, server CPU ${earlier.cpuMs.toFixed(3)} ms per request, ratio ${(earlier.ms / baseline.ms).toFixed(2)}`);
      }
      reportRatio(`${route.name}: time per request`, { label: 'Lanterne', ms: measured.ms }, { label: 'bare', ms: baseline.ms }, route.path === '/health' ? Infinity : 2);
    }
    reportRatio('GET /health against GET /me, both Lanterne', { label: '/health', ms: lanterneMs['GET /health'] }, { label: '/me', ms: lanterneMs['GET /me'] }, 1);
  } finally {
    await before?.stop();
    await framework?.stop();
    await bare?.stop();
    await lanterne.stop();
    await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

interface Load {
  rps: number;
  /** Time per request: the inverse of throughput. */
  ms: number;
  /** CPU the server process spent per request, which the other processes of the machine disturb less. */
  cpuMs: number;
}

/**
 * Loads each target in turn, ROUNDS times after a warm-up, so that a drift in the machine's load
 * weighs on both alike; answers the median round of each.
 */
async function loadTurnAbout(targets: { server: Started; url: string; headers: Record<string, string> }[]): Promise<Load[]> {
  for (const target of targets) await autocannon({ url: target.url, connections: CONNECTIONS, duration: WARM_UP_S, headers: target.headers });
  const rounds: Load[][] = targets.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, target] of targets.entries()) {
      const cpuBefore = target.server.cpuMs();
      const result = await autocannon({ url: target.url, connections: CONNECTIONS, duration: DURATION_S, headers: target.headers });
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target.url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
      const requests = result.requests.average * DURATION_S;
      rounds[i].push({ rps: result.requests.average, ms: 1000 / result.requests.average, cpuMs: (target.server.cpuMs() - cpuBefore) / requests });
    }
  }
  return rounds.map((loads) => {
    const median = (pick: (load: Load) => number) => loads.map(pick).sort((a, b) => a - b)[Math.floor(loads.length / 2)];
    return { rps: median((l) => l.rps), ms: median((l) => l.ms), cpuMs: median((l) => l.cpuMs) };
  });
}

/** One pool, one member with a subscription holding one address: the lookup finds it. */
async function seedAssignment(base: string, token: string): Promise<string> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string; prefix: string };
  };
  const pool = await post('/ip-pools', { name: 'bench', prefix: '198.51.100.0/24', assignLength: 32 });
  const subscriber = await post('/subscribers', { displayName: 'Bench member', email: 'bench@example.org' });
  const subscription = await post('/subscriptions', { subscriberId: subscriber.id, service: 'vpn' });
  const assignment = await post(`/subscriptions/${subscription.id}/ip-assignments`, { poolId: pool.id });
  return assignment.prefix.split('/')[0];
}

interface Started {
  /** The URL the process printed once ready. */
  url: string;
  /** CPU time (user and system) the process has used so far. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Starts a TypeScript entry point as its own process and waits until it prints `ready`. */
async function start(entry: string, ready: RegExp, env: Record<string, string>, nodeOptions: string[] = [], cwd = ROOT): Promise<Started> {
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, '-r', 'ts-node/register/transpile-only', entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LANTERNE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const match = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout?.on('data', onData);
    // Drained so that a process logging every request never blocks on a full pipe.
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`)));
  });
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  return {
    url: match,
    cpuMs: () => processCpuMs(child.pid as number),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** From /proc (Linux): utime and stime, in clock ticks of 10 ms. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
