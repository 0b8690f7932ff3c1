import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench [name...]`: runs every bench/*.bench.ts (or those named) one after the other.
 * Each exports `run(): Promise<void>` and prints its figures with ratios against a baseline
 * measured in the same run.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
    .sort();
  for (const file of files) {
    process.stdout.write(`\n### ${file}\n`);
    // require, not import(): under module node16 a dynamic import goes to Node's ESM loader, which cannot read .ts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bench = require(join(__dirname, file)) as { run(): Promise<void> };
    await bench.run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
