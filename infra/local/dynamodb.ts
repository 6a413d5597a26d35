/**
 * DynamoDB Local (Amazon's own jar, shipped by the npm package `amplify-dynamodb-simulator`) as a
 * child process: in memory by default, on disk under `<dataDir>/dynamodb` when a data dir is given.
 * `-sharedDb` makes every client see the same tables whatever its credentials and region (so the
 * AWS CLI, `npm run invoke` and the server agree); `-disableTelemetry` keeps it offline.
 * Why: docs/adr/0007-local-runtime-without-docker.md
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LocalSystemError } from './errors.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

const MIN_JAVA = 17;
const INSTALL_JAVA =
  'install a Java 17 or newer, a JDK (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless; macOS: brew install openjdk@17; Windows: winget install Microsoft.OpenJDK.17) and make sure `java` is on PATH or JAVA_HOME is set';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Bound to 127.0.0.1 only (false on a bare JRE: see javaCompiles). */
  readonly loopbackOnly: boolean;
  /** The Java process. */
  readonly pid: number | undefined;
  /** Resolves when the process has exited, whatever the reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; lastOutput: string }>;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Keep the data under `<dataDir>/dynamodb` (default: in memory). */
  dataDir?: string;
  /** Default: a free loopback port. */
  port?: number;
  /** How long to wait for the first answer to ListTables (default 30 s). */
  startupTimeoutMs?: number;
}

/** The directory holding DynamoDBLocal.jar and DynamoDBLocal_lib, resolved through node's resolver. */
export function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('amplify-dynamodb-simulator/package.json');
  } catch {
    throw new LocalSystemError(
      'the npm package amplify-dynamodb-simulator (DynamoDB Local) is missing: run `npm ci`',
    );
  }
  const dir = join(dirname(packageJson), 'emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new LocalSystemError(`DynamoDBLocal.jar is missing from ${dir}: reinstall with \`npm ci\``);
  }
  return dir;
}

/** Starts DynamoDB Local bound to 127.0.0.1 (its own main binds every interface). */
const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./java/LoopbackDynamoDB.java', import.meta.url));

/**
 * Whether `java` can run a source file (a JDK: javac beside it). A bare JRE cannot, and then
 * DynamoDB Local is started by its own main, listening on every interface (the log says so).
 */
export function javaCompiles(java: string): boolean {
  const candidates = java.includes(sep)
    ? [java]
    : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, java));
  const found = candidates.find((c) => existsSync(c));
  if (!found) return false;
  return existsSync(join(dirname(realpathSync(found)), process.platform === 'win32' ? 'javac.exe' : 'javac'));
}

export function javaExecutable(): string {
  const home = process.env.JAVA_HOME;
  if (home) {
    const candidate = join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(candidate)) return candidate;
  }
  return 'java';
}

/** Parses the major version out of `java -version` output ("17.0.15", "1.8.0_311", "21"). */
export function parseJavaMajor(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Throws a LocalSystemError saying what to install when Java is missing or older than 17. */
export async function checkJava(java = javaExecutable()): Promise<number> {
  const output = await new Promise<string>((resolveOutput, reject) => {
    execFile(java, ['-version'], { timeout: 15_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new LocalSystemError(`Java was not found; DynamoDB Local needs it: ${INSTALL_JAVA}`));
        return;
      }
      resolveOutput(`${stderr}\n${stdout}`);
    });
  });
  const major = parseJavaMajor(output);
  if (major === undefined) {
    throw new LocalSystemError(
      `could not tell the version of ${java}; DynamoDB Local needs it: ${INSTALL_JAVA}`,
    );
  }
  if (major < MIN_JAVA) {
    throw new LocalSystemError(`Java ${major} found, DynamoDB Local needs ${MIN_JAVA}+: ${INSTALL_JAVA}`);
  }
  return major;
}

/** A port that was free on the loopback interface a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((wake) => setTimeout(wake, ms));

/** Every DynamoDB Local child still running, killed if this process exits without stopping them. */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;
function killChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  // The child has its own process group, so a terminal's Ctrl-C does not reach it. A signal that
  // ends this process by its default action skips 'exit' handlers and would leave the child
  // behind; so when nobody else handles the signal, kill the child and exit as the signal would.
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
    ['SIGHUP', 1],
  ] as const) {
    process.once(signal, () => {
      if (process.listenerCount(signal) > 0) return; // handled elsewhere (npm start, vitest)
      killAll();
      process.exit(128 + number);
    });
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const dir = emulatorDir();
  const java = javaExecutable();
  await checkJava(java);
  const loopback = javaCompiles(java);
  // A free port can be taken between our probe and Java's bind: try again on another one.
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(java, dir, port, options, loopback);
    } catch (error) {
      const portClash = error instanceof PortInUseError;
      if (!portClash || options.port !== undefined || attempt >= 3) {
        if (portClash) {
          throw new LocalSystemError(
            `port ${port} for DynamoDB Local is already in use: free it or pick another`,
          );
        }
        throw error;
      }
    }
  }
}

class PortInUseError extends Error {}

async function launch(
  java: string,
  dir: string,
  port: number,
  options: DynamoDbLocalOptions,
  loopback: boolean,
): Promise<DynamoDbLocal> {
  const lib = join(dir, 'DynamoDBLocal_lib');
  const jar = join(dir, 'DynamoDBLocal.jar');
  const args = [
    `-Djava.library.path=${lib}`,
    ...(loopback ? ['-cp', [jar, join(lib, '*')].join(delimiter), LOOPBACK_LAUNCHER] : ['-jar', jar]),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (options.dataDir) {
    const dbPath = join(options.dataDir, 'dynamodb');
    mkdirSync(dbPath, { recursive: true });
    args.push('-dbPath', dbPath);
  } else {
    args.push('-inMemory');
  }

  // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop it in order
  // (otherwise it would die first and look like a crash).
  // With the launcher, stdin is a pipe that only closes when this process ends (however it
  // ends): the launcher exits then, so DynamoDB Local never outlives us on the data files.
  const child = spawn(java, args, {
    cwd: dir,
    stdio: [loopback ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    windowsHide: true,
    detached: process.platform !== 'win32',
  });
  children.add(child);
  killChildrenOnExit();

  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const lastOutput = (): string => {
    const lines = output.split('\n').map((l) => l.trim());
    const meaningful = lines.filter((l) => /exception|error|address|denied/i.test(l));
    return (meaningful.at(-1) ?? '').slice(0, 300);
  };

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; lastOutput: string }>(
    (resolveExit) => {
      child.once('exit', (code, signal) => {
        children.delete(child);
        resolveExit({ code, signal, lastOutput: lastOutput() });
      });
      child.once('error', () => {
        children.delete(child);
        resolveExit({ code: null, signal: null, lastOutput: lastOutput() });
      });
    },
  );

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 5000, throwOnRequestTimeout: true },
  });
  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  let died: { code: number | null; signal: NodeJS.Signals | null; lastOutput: string } | undefined;
  void exited.then((status) => {
    died = status;
  });
  try {
    while (true) {
      if (died) {
        if (/address already in use|BindException/i.test(output)) throw new PortInUseError();
        throw new LocalSystemError(
          `DynamoDB Local exited at startup (code ${died.code ?? died.signal}): ${died.lastOutput || 'no output'}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          await stop();
          throw new LocalSystemError(
            `DynamoDB Local did not answer on ${endpoint} within ${Math.round((options.startupTimeoutMs ?? 30_000) / 1000)} s`,
          );
        }
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }

  return { endpoint, port, loopbackOnly: loopback, pid: child.pid, exited, stop };
}
