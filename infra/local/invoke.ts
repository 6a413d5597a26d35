/**
 * `npm run invoke -- <FunctionName> <events/file.json> [--standalone]`
 *
 * Runs one function's handler on an event file and prints the result as JSON on stdout (a handler
 * error is printed the way Lambda reports it, `{ errorType, errorMessage }`, and exits 1); the
 * handler's logs go to stderr.
 * - By default against the running `npm start` (its environment is read from .local/env.json).
 * - With --standalone, against emulators started for this call (in memory, seeded), then stopped.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FUNCTIONS, type FunctionSpec } from '../catalog.ts';
import { consoleLog, LocalSystemError, oneLine } from './errors.ts';
import { createRunner } from './lambda.ts';
import { readState, STATE_FILE } from './state.ts';
import { LOCAL_REGION, type LocalSystem, startLocalSystem } from './system.ts';

const USAGE = 'usage: npm run invoke -- <FunctionName> <event.json> [--standalone]';

function write(text: string): Promise<void> {
  return new Promise((done) => process.stdout.write(`${text}\n`, () => done()));
}

function findFunction(name: string): FunctionSpec {
  const fn =
    FUNCTIONS.find((f) => f.name === name) ??
    FUNCTIONS.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!fn) {
    throw new LocalSystemError(
      `no function named ${name} (known: ${FUNCTIONS.map((f) => f.name).join(', ')})`,
    );
  }
  return fn;
}

function readEvent(file: string): unknown {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new LocalSystemError(`cannot read the event file ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LocalSystemError(`the event file ${path} is not JSON: ${oneLine(error)}`);
  }
}

function lambdaError(error: unknown): { errorType: string; errorMessage: string } {
  return error instanceof Error
    ? { errorType: error.name, errorMessage: error.message }
    : { errorType: 'Error', errorMessage: oneLine(error) };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const standalone = args.includes('--standalone');
  const [name, file, ...rest] = args.filter((a) => !a.startsWith('--'));
  if (!name || !file || rest.length > 0) throw new LocalSystemError(USAGE);
  const fn = findFunction(name);
  const event = readEvent(file);

  let invoke: (event: unknown) => Promise<unknown>;
  let system: LocalSystem | undefined;
  if (standalone) {
    system = await startLocalSystem({ port: 0, pollers: false, schedulers: false, log: consoleLog });
    const { seed } = await import('./seed.ts');
    await seed();
    const started = system;
    invoke = (e) => started.invoke(fn.name, e);
  } else {
    const state = readState();
    if (!state) {
      throw new LocalSystemError(
        `no local system is running (${STATE_FILE} is missing or stale): start one with \`npm start\`, or pass --standalone`,
      );
    }
    Object.assign(process.env, state.env);
    const runner = createRunner({ region: LOCAL_REGION });
    invoke = (e) => runner.invoke(fn, e);
  }

  // The handler's own logs go to stderr, so stdout carries the result alone (pipe it to jq).
  const stdoutWrite = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  let output: string;
  let code: number;
  try {
    output = JSON.stringify((await invoke(event)) ?? null, null, 2);
    code = 0;
  } catch (error) {
    output = JSON.stringify(lambdaError(error), null, 2);
    code = 1;
  } finally {
    process.stdout.write = stdoutWrite;
    await system?.stop();
  }
  await write(output);
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`urna: ${oneLine(error)}\n`);
    process.exit(1);
  },
);
