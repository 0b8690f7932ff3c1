import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrations } from '../src/database/migrate';

/** Runs `fn` `times` times and returns the median duration in milliseconds. */
export async function medianMs(times: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn(i);
    durations.push(performance.now() - start);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)];
}

/**
 * Medians of two alternatives measured turn about, so that a drift in the machine's load (a
 * checkpoint, autovacuum) weighs on both alike rather than on whichever runs second.
 */
export async function interleavedMediansMs(times: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>): Promise<[number, number]> {
  const durations: [number[], number[]] = [[], []];
  for (let i = 0; i < times; i++) {
    for (const [side, fn] of [a, b].entries()) {
      const start = performance.now();
      await fn(i);
      durations[side].push(performance.now() - start);
    }
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return [median(durations[0]), median(durations[1])];
}

export async function durationMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Prints a figure against its baseline measured in the same run, with the target ratio; a
 * benchmark informs, it never fails the build.
 */
export function reportRatio(name: string, measured: { label: string; ms: number }, baseline: { label: string; ms: number }, target: number): void {
  const ratio = measured.ms / baseline.ms;
  const verdict = ratio <= target ? 'within target' : 'OVER TARGET';
  process.stdout.write(
    `${name}\n  ${measured.label}: ${measured.ms.toFixed(3)} ms\n  ${baseline.label}: ${baseline.ms.toFixed(3)} ms\n  ratio ${ratio.toFixed(2)} (target ≤ ${target}) ${verdict}\n`,
  );
}

export function reportFigure(name: string, value: string): void {
  process.stdout.write(`${name}: ${value}\n`);
}

const BENCH_SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** Runs `fn` on a migrated database of its own on the bench's PostgreSQL server, dropped afterwards. */
export async function withMigratedDatabase(fn: (dataSource: DataSource, url: string) => Promise<void>): Promise<void> {
  const name = `lanterne_bench_${randomBytes(4).toString('hex')}`;
  await onBenchServer(`CREATE DATABASE ${name}`);
  const url = `${BENCH_SERVER}/${name}`;
  const dataSource = new DataSource(dataSourceOptions(url));
  try {
    await runMigrations(url);
    await dataSource.initialize();
    await fn(dataSource, url);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await onBenchServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function onBenchServer(statement: string): Promise<void> {
  const client = new Client({ connectionString: `${BENCH_SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
