/**
 * DynamoDB Local killed while the system serves: a filing answers 503 with Retry-After (a retry
 * can cure it), never a 500, and names no cause. Runs its own emulators, since it kills one.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystemError } from '#infra/local/errors.ts';
import { seed } from '#infra/local/seed.ts';
import { type LocalSystem, startLocalSystem } from '#infra/local/system.ts';
import { call } from '#test/support/client.ts';
import { petition } from '../cases/helpers.ts';

let system: LocalSystem;
const fatal: LocalSystemError[] = [];

beforeAll(async () => {
  system = await startLocalSystem({
    port: 0,
    pollers: false,
    schedulers: false,
    log: () => {},
    onFatal: (error) => fatal.push(error),
  });
  await seed();
});
afterAll(() => system?.stop());

/** The process listening on a loopback TCP port, from the kernel's tables (Linux). */
function pidListeningOn(port: number): number | undefined {
  let inode: string | undefined;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && Number.parseInt(cols[1]?.split(':')[1] ?? '', 16) === port) inode = cols[9];
    }
  }
  if (!inode) return undefined;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return Number(pid);
      }
    } catch {
      // another user's process, or gone meanwhile
    }
  }
  return undefined;
}

describe.runIf(process.platform === 'linux')('DynamoDB Local killed under the system', () => {
  it('a filing answers 503 with Retry-After, not a 500', async () => {
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ category: 'spectrum' }),
    });
    expect(filed.status, filed.text).toBe(201);

    const pid = pidListeningOn(Number(new URL(system.endpoints.dynamodb).port));
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');

    const refused = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ category: 'spectrum' }),
    });
    expect(refused.status, refused.text).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 503, type: 'urn:urna:problem:unavailable' });
    expect(refused.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|Ana Pérez|52123456/);
    // The runtime noticed and reported it (npm start stops on it).
    await expect.poll(() => fatal.length).toBeGreaterThan(0);
  });
});
