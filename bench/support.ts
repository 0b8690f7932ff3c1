import { performance } from 'node:perf_hooks';

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
