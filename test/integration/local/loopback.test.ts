/**
 * Every local service listens on 127.0.0.1 only (the table holds petitioners' data): the local API,
 * fauxqs and DynamoDB Local, whose own main binds every interface (infra/local/java/). Read from
 * the kernel's socket tables, so it holds whatever interfaces this machine has.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;

beforeAll(async () => {
  system = await useLocalSystem({ functions: [], schedulers: false, pollers: false });
});
afterAll(() => system?.stop());

/** The local addresses listening on `port`, from /proc/net/tcp and tcp6 (hex, as the kernel writes them). */
function listeners(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A: LISTEN
      const [address, hexPort] = local.split(':');
      if (Number.parseInt(hexPort ?? '', 16) === port) found.push(address ?? '');
    }
  }
  return found;
}

/** 127.0.0.1 as the kernel writes it: in tcp (little-endian) or as an IPv4-mapped IPv6 address. */
const LOOPBACK = new Set(['0100007F', '0000000000000000FFFF00000100007F']);

describe.runIf(process.platform === 'linux')('local services listen on loopback only', () => {
  it.each([
    ['DynamoDB Local', () => system.endpoints.dynamodb],
    ['fauxqs', () => system.endpoints.sqs],
    ['the local API', () => system.baseUrl],
  ])('%s', (_name, url) => {
    const addresses = listeners(Number(new URL(url()).port));
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((a) => !LOOPBACK.has(a))).toEqual([]);
  });
});
