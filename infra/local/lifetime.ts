/**
 * What keeps one local system to one data directory and one process tree:
 *  - a lock in DATA_DIR: a second `npm start` on the same data is refused while the first lives;
 *    a lock left by a process that died is taken over, and the DynamoDB Local it left on the
 *    data files (a JRE could not tie its life to ours) is stopped first;
 *  - the ancestors up to `npm` are watched: when any of them is gone (npm got SIGTERM alone, a
 *    shell closed), the system stops instead of serving on without its owner.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalSystemError } from './errors.ts';
import { alive } from './state.ts';

interface LockContent {
  pid: number;
  dynamodbPid?: number;
}

/** The command line of a process (Linux's /proc), or '' where it cannot be read. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((wake) => setTimeout(wake, ms));

/**
 * Whether a process lives: a zombie does not (a tree killed with SIGKILL leaves its orphans as
 * zombies until init reaps them, which may take a while, and they hold nothing).
 */
function running(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) is all there is
  }
}

export interface DataLock {
  /** Records the DynamoDB Local process on these files (for a later takeover). */
  dynamodb(pid: number | undefined): void;
  release(): void;
}

/** Takes DATA_DIR for this process; LocalSystemError when a live process holds it. */
export async function lockDataDir(dataDir: string, log: (line: string) => void): Promise<DataLock> {
  const file = join(dataDir, 'urna.lock');
  if (existsSync(file)) {
    let held: LockContent | undefined;
    try {
      held = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
    } catch {
      held = undefined;
    }
    if (held && held.pid !== process.pid && running(held.pid)) {
      throw new LocalSystemError(
        `DATA_DIR ${dataDir} is in use by another Urna (pid ${held.pid}): stop it first, or choose another DATA_DIR`,
      );
    }
    const orphan = held?.dynamodbPid;
    if (orphan !== undefined && running(orphan) && commandOf(orphan).includes('DynamoDBLocal')) {
      log(`stopping the DynamoDB Local (pid ${orphan}) a stopped Urna left on ${dataDir}`);
      process.kill(orphan, 'SIGKILL');
      for (let i = 0; i < 50 && running(orphan); i++) await sleep(100);
    }
  }
  const content: LockContent = { pid: process.pid };
  const write = (): void => writeFileSync(file, `${JSON.stringify(content)}\n`);
  write();
  return {
    dynamodb(pid) {
      if (pid === undefined) return;
      content.dynamodbPid = pid;
      write();
    },
    release() {
      try {
        const now = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
        if (now.pid === process.pid) unlinkSync(file);
      } catch {
        // gone already
      }
    },
  };
}

/** The parent of a process (Linux's /proc), or undefined where it cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `gone` once when a process between this one and the `npm` that started it (inclusive)
 * is gone; just the parent when there is no npm above (or no /proc). Checked every second.
 */
export function watchAncestors(gone: (pid: number) => void): () => void {
  const chain: number[] = [];
  for (let pid = parentOf(process.pid) ?? process.ppid; pid > 1 && chain.length < 8; ) {
    chain.push(pid);
    if (/(^|\/)npm(-cli)?(\.js)?( |$)|npm-cli\.js/.test(commandOf(pid))) break;
    const next = parentOf(pid);
    if (next === undefined) break;
    pid = next;
  }
  const watched = chain.some((pid) => /npm/.test(commandOf(pid))) ? chain : chain.slice(0, 1);
  const timer = setInterval(() => {
    const missing = watched.find((pid) => !alive(pid));
    if (missing !== undefined) {
      clearInterval(timer);
      gone(missing);
    }
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
