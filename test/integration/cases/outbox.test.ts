/**
 * The routing backstop: a filed case whose stream record never became a routing message (the pipe
 * was down, or dead-lettered it) stays in the outbox index, and the scheduled sweep routes it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingShard } from '#adapters/dynamodb/keys.ts';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';
import { petition } from './helpers.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;

beforeAll(async () => {
  process.env.OUTBOX_GRACE_SECONDS = '0';
  system = await useLocalSystem({ schedulers: false, pipes: false });
  await seed();
});
afterAll(() => system?.stop());

const status = async (radicado: string) =>
  (
    await system.ddb.send(
      new GetCommand({ TableName: system.tableName, Key: { pk: `CASE#${radicado}`, sk: 'CASE' } }),
    )
  ).Item?.status;

describe('routing outbox', () => {
  it('routes, on the next sweep, a case the stream pipe never delivered', async () => {
    // Prepare: the pipe is down, so filing alone routes nothing.
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ category: 'postal_services' }),
    });
    expect(filed.status).toBe(201);
    const radicado = String(filed.body.radicado);
    await system.drain();
    expect(await status(radicado)).toBe('received');
    // Act
    await system.fire('Sweep');
    await system.drain();
    // Assess
    expect(await status(radicado)).toBe('routed');
    // A second sweep finds nothing left to relay.
    await system.fire('Sweep');
    await system.drain();
    expect(await status(radicado)).toBe('routed');
  });

  it('relays the unrouted cases of every shard of the outbox in one sweep', async () => {
    const radicados: string[] = [];
    for (let i = 0; i < 20; i++) {
      const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
        body: petition({ category: 'spectrum' }),
      });
      expect(filed.status).toBe(201);
      radicados.push(String(filed.body.radicado));
    }
    await system.drain();
    // Twenty consecutive radicados fall on more than one shard.
    expect(new Set(radicados.map(routingShard)).size).toBeGreaterThan(1);
    await system.fire('Sweep');
    await system.drain();
    for (const r of radicados) expect(await status(r), r).toBe('routed');
  });
});
