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
