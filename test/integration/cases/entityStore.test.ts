/**
 * DynamoEntityStore on the local table: only hits are cached, and an entity stored before a rule
 * was tightened (here a term longer than the law) neither breaks `list()` for everyone nor leaks
 * its values: it is skipped and reported by id and field names.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEntityStore, InvalidStoredEntityError } from '#adapters/dynamodb/entityStore.ts';
import { entityItem, keys } from '#adapters/dynamodb/keys.ts';
import type { Entity } from '#domain/entity.ts';
import { demoEntities, seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;

beforeAll(async () => {
  system = await useLocalSystem({ pollers: false, schedulers: false, pipes: false });
  await seed();
});
afterAll(() => system?.stop());

/** Writes an item the way `put()` does, but without its validation (data stored under older rules). */
async function putRaw(settings: Record<string, unknown>): Promise<void> {
  const id = String(settings.id);
  await system.ddb.send(
    new PutCommand({
      TableName: system.tableName,
      Item: { ...keys.entity(id), gsi1pk: entityItem.listed(id).partition, gsi1sk: id, settings },
    }),
  );
}

function entityLike(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const mintic = demoEntities().find((e) => e.id === 'MINTIC') as Entity;
  return { ...mintic, id, name: `Entidad ${id}`, ...overrides };
}

describe('DynamoEntityStore', () => {
  it('skips, and reports by id and fields only, an entity that today’s rules refuse', async () => {
    // Prepare: a term of 99 business days, longer than the law's, stored before the rule existed.
    await putRaw(entityLike('OLDRULES', { terms: { general: 99 } }));
    await putRaw({ id: 'BROKEN', name: 'Entidad rota', kinds: 'petition' });
    const reports: [string, string[]][] = [];
    const store = new DynamoEntityStore(system.ddb, system.tableName, {
      onInvalid: (id, fields) => reports.push([id, fields]),
    });

    // Act
    const listed = await store.list();

    // Assess
    const ids = listed.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(['MINTIC', 'SUPERSALUD', 'MEDELLIN']));
    expect(ids).not.toContain('OLDRULES');
    expect(ids).not.toContain('BROKEN');
    expect(reports).toContainEqual(['OLDRULES', ['terms.general']]);
    const broken = reports.find(([id]) => id === 'BROKEN');
    expect(broken?.[1]).toEqual(expect.arrayContaining(['kinds', 'offices']));
    expect(JSON.stringify(reports)).not.toMatch(/99|rota|Entidad/);
  });

  it('the public list of entities still answers when one stored entity is invalid', async () => {
    await putRaw(entityLike('OLDRULES', { terms: { general: 99 } }));
    const res = await call(system.baseUrl, 'GET', '/v1/public/entities');
    expect(res.status).toBe(200);
    expect(res.text).toContain('MINTIC');
    expect(res.text).not.toContain('OLDRULES');
  });

  it('get() of an invalid stored entity fails naming the entity and fields, no values', async () => {
    await putRaw(entityLike('OLDRULES', { terms: { general: 99 } }));
    const reports: string[] = [];
    const store = new DynamoEntityStore(system.ddb, system.tableName, {
      onInvalid: (id) => reports.push(id),
    });
    const error = await store.get('OLDRULES').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidStoredEntityError);
    expect(error).toMatchObject({ entityId: 'OLDRULES', fields: ['terms.general'] });
    expect(String((error as Error).message)).toContain('OLDRULES');
    expect(String((error as Error).message)).toContain('terms.general');
    expect(String((error as Error).message)).not.toMatch(/99|Entidad/);
    expect(reports).toEqual(['OLDRULES']);
  });

  it('does not cache "not found", and caches what it found', async () => {
    const store = new DynamoEntityStore(system.ddb, system.tableName, { ttlMs: 60_000 });

    // Not found, then stored behind the store's back: the next get sees it at once.
    expect(await store.get('LATECOMER')).toBeUndefined();
    await putRaw(entityLike('LATECOMER'));
    expect((await store.get('LATECOMER'))?.name).toBe('Entidad LATECOMER');

    // Found: a change behind the store's back is not seen until the entry expires.
    await putRaw(entityLike('LATECOMER', { name: 'Nombre nuevo' }));
    expect((await store.get('LATECOMER'))?.name).toBe('Entidad LATECOMER');
    const fresh = new DynamoEntityStore(system.ddb, system.tableName, { ttlMs: 0 });
    expect((await fresh.get('LATECOMER'))?.name).toBe('Nombre nuevo');
  });

  it('many unknown ids leave nothing behind in the cache', async () => {
    const store = new DynamoEntityStore(system.ddb, system.tableName);
    for (let i = 0; i < 20; i++) expect(await store.get(`NOPE${i}`)).toBeUndefined();
    const cache = (store as unknown as { cache: Map<string, unknown> }).cache;
    expect(cache.size).toBe(0);
    await store.get('MINTIC');
    expect(cache.size).toBe(1);
  });
});
