/**
 * `npm run bench [-- name ...]`: runs the named benchmarks (all when none is named).
 * Each benchmark is `test/bench/<name>.ts` exporting `default async function(): Promise<void>`
 * that prints its figures, each as a ratio against a baseline measured in the same run.
 * Not part of `npm test`: timings are not correctness.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !available.includes(a));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(2);
}

for (const name of asked.length > 0 ? asked : available) {
  console.log(`\n== bench ${name} ==`);
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as {
    default: () => Promise<void>;
  };
  await mod.default();
}
