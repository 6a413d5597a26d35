/**
 * `npm run bench [-- name ...]`: runs the named benchmarks (all when none is named).
 * Each benchmark is `test/bench/<name>.ts` exporting `default async function(): Promise<void>`
 * that prints its figures, each as a ratio against a baseline measured in the same run.
 * Not part of `npm test`: timings are not correctness.
 *
 * Each benchmark runs in a process of its own: the local runtime keeps each handler (and the
 * DynamoDB client its cold start made) for the life of the process, and one benchmark's JIT, heap
 * and cold starts stay out of the next one's figures.
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

/** `run.ts --child <name>`: run that one benchmark here (the runner's child process). */
const CHILD = '--child';
const args = process.argv.slice(2);
if (args[0] === CHILD) {
  const name = args[1] ?? '';
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as {
    default: () => Promise<void>;
  };
  await mod.default();
  process.exit(0);
}

const asked = args.filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !available.includes(a));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of asked.length > 0 ? asked : available) {
  console.log(`\n== bench ${name} ==`);
  // The same node and loader (tsx) as this process, one benchmark, output straight through.
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), CHILD, name],
    {
      stdio: 'inherit',
    },
  );
  if (child.status !== 0) {
    failed.push(name);
    console.error(`bench ${name} failed (${child.signal ?? `exit code ${child.status}`})`);
  }
}
if (failed.length > 0) process.exit(1);
