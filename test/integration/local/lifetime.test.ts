/**
 * One Urna per data directory and per process tree (infra/local/lifetime.ts, issue 16): a live
 * holder of DATA_DIR refuses a second start, a dead one's lock is taken over and the DynamoDB
 * Local it left is stopped; a system whose starter is gone stops; DynamoDB Local does not outlive
 * the process that started it, even killed with SIGKILL. Linux (/proc), real processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSystemError } from '#infra/local/errors.ts';
import { lockDataDir } from '#infra/local/lifetime.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const started = (command: string, args: string[]) => {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  return child;
};
const firstLine = (child: ChildProcess) =>
  new Promise<string>((resolve) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
  });

describe.runIf(process.platform === 'linux')('the local system’s lifetime', () => {
  it('refuses DATA_DIR held by a live Urna, takes over a dead one’s and stops what it left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urna-lock-'));
    const holder = started('sleep', ['30']);
    writeFileSync(join(dir, 'urna.lock'), JSON.stringify({ pid: holder.pid }));
    const refused = lockDataDir(dir, () => {});
    await expect(refused).rejects.toBeInstanceOf(LocalSystemError);
    await expect(refused).rejects.toThrow(`in use by another Urna (pid ${holder.pid})`);

    // The holder died and left a DynamoDB Local on the files: taken over, and that one stopped.
    holder.kill('SIGKILL');
    await expect.poll(() => alive(holder.pid!)).toBe(false);
    const orphan = started('bash', ['-c', 'exec -a DynamoDBLocal sleep 30']);
    // Until the exec is done: bash's own command line names it too, and mid-exec it reads empty.
    await expect
      .poll(() => readFileSync(`/proc/${orphan.pid}/cmdline`, 'utf8').split('\0')[0], { timeout: 10_000 })
      .toBe('DynamoDBLocal');
    writeFileSync(join(dir, 'urna.lock'), JSON.stringify({ pid: holder.pid, dynamodbPid: orphan.pid }));
    const lines: string[] = [];
    const lock = await lockDataDir(dir, (l) => lines.push(l));
    expect(lines.join()).toContain(`stopping the DynamoDB Local (pid ${orphan.pid})`);
    await expect.poll(() => alive(orphan.pid!)).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'urna.lock'), 'utf8'))).toEqual({ pid: process.pid });
    lock.release();
  });

  it('takes over DATA_DIR from a holder that is a zombie (its tree killed, not yet reaped)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urna-lock-'));
    // A child that exits while its parent (bash, sleeping) never waits for it: a zombie.
    const parent = started('bash', ['-c', 'sleep 0.1 & exec sleep 30']);
    const zombie = (): number | undefined => {
      const pid = Number(readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim());
      return pid > 0 && readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ') ? pid : undefined;
    };
    await expect.poll(zombie, { timeout: 10_000 }).toBeDefined();
    const pid = zombie() as number;
    expect(alive(pid)).toBe(true); // kill(pid, 0) answers for a zombie
    writeFileSync(join(dir, 'urna.lock'), JSON.stringify({ pid }));
    const lock = await lockDataDir(dir, () => {});
    expect(JSON.parse(readFileSync(join(dir, 'urna.lock'), 'utf8'))).toEqual({ pid: process.pid });
    lock.release();
  });

  it('stops when the process that started it is gone', async () => {
    const script = `import { watchAncestors } from '#infra/local/lifetime.ts';
      watchAncestors((pid) => { console.log('gone ' + pid); process.exit(0); });
      console.log('watching'); setInterval(() => {}, 1000);`;
    const parent = started('sh', [
      '-c',
      `node --import tsx --input-type=module -e "${script.replaceAll('"', '\\"')}"; sleep 30`,
    ]);
    const watcher = firstLine(parent);
    expect(await watcher).toBe('watching');
    const pid = parent.pid!;
    const said = new Promise<string>((resolve) =>
      parent.stdout?.on('data', (c: Buffer) => resolve(c.toString())),
    );
    process.kill(pid, 'SIGKILL');
    // The watcher's stdout is the same pipe: it says who is gone, then exits.
    expect(await said).toContain(`gone ${pid}`);
  });

  it('DynamoDB Local does not outlive its starter, even killed with SIGKILL', async () => {
    const script = `import { startDynamoDbLocal } from '#infra/local/dynamodb.ts';
      const d = await startDynamoDbLocal(); console.log(String(d.pid) + ' ' + d.loopbackOnly); setInterval(() => {}, 1000);`;
    const starter = started('node', ['--import', 'tsx', '--input-type=module', '-e', script]);
    const [java, loopback] = (await firstLine(starter)).split(' ');
    const pid = Number(java);
    expect(alive(pid)).toBe(true);
    starter.kill('SIGKILL');
    if (loopback === 'true') await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
    else process.kill(pid, 'SIGKILL'); // a bare JRE: nothing ties its life to ours
  });
});
