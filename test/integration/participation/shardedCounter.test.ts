import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COUNTER_SHARDS,
  counterKey,
  counterUpdate,
  readCounterGroups,
  readCounters,
  shardFor,
} from '#adapters/dynamodb/shardedCounter.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
});
afterAll(() => system?.stop());

const add = (group: string, shard: number, deltas: Record<string, number>) =>
  system.ddb.send(
    new TransactWriteCommand({
      TransactItems: [{ Update: counterUpdate(system.tableName, group, shard, deltas) }],
    }),
  );

describe('sharded counters on DynamoDB Local', () => {
  it('sums named counters (names with ":", "#", ".") over every shard, exactly', async () => {
    // Prepare: 120 concurrent increments spread by hash, two counters each, one correction.
    const group = 'consultation:c-1';
    const expected: Record<string, number> = {};
    const touched = new Set<number>();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 120; i++) {
      const shard = shardFor(`citizen-${i}`);
      touched.add(shard);
      const stance = i % 3 === 0 ? 'against' : 'for';
      const deltas = { [`section:s#${i % 4}.${stance}`]: 1, total: 1 };
      for (const [k, v] of Object.entries(deltas)) expected[k] = (expected[k] ?? 0) + v;
      writes.push(add(group, shard, deltas));
    }
    await Promise.all(writes);
    await add(group, shardFor('citizen-0'), { 'section:s#0.against': -1, 'section:s#0.for': 1 });
    expected['section:s#0.against'] = (expected['section:s#0.against'] ?? 0) - 1;
    expected['section:s#0.for'] = (expected['section:s#0.for'] ?? 0) + 1;

    // Act
    const totals = await readCounters(system.ddb, system.tableName, group, { consistent: true });

    // Assess: exact, and the writes did land on many distinct partition keys.
    expect(totals).toEqual(expected);
    expect(totals.total).toBe(120);
    expect(touched.size).toBeGreaterThan(COUNTER_SHARDS / 2);
    expect(counterKey(group, 3)).toEqual({ pk: 'COUNTS#consultation:c-1#3', sk: 'COUNTS' });
  });

  it('reads several groups at once (more than 100 shard keys: several BatchGets) and {} for an unknown group', async () => {
    const groups = ['proposal:a', 'proposal:b', 'proposal:c', 'proposal:d'];
    for (const [n, g] of groups.entries()) {
      for (let i = 0; i <= n; i++) await add(g, (i * 7) % COUNTER_SHARDS, { supports: 1 });
    }
    const totals = await readCounterGroups(system.ddb, system.tableName, [...groups, 'proposal:none']);
    expect(groups.map((g) => totals.get(g)?.supports)).toEqual([1, 2, 3, 4]);
    expect(totals.get('proposal:none')).toEqual({});
  });

  it('commits the increment with the rest of its transaction, or not at all', async () => {
    const group = 'proposal:tx';
    const guard = { pk: 'TEST#guard', sk: 'GUARD' };
    const write = () =>
      system.ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: system.tableName,
                Item: guard,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Update: counterUpdate(system.tableName, group, 5, { supports: 1 }) },
          ],
        }),
      );
    await write();
    await expect(write()).rejects.toThrow();
    expect(await readCounters(system.ddb, system.tableName, group)).toEqual({ supports: 1 });
  });

  it('refuses a bad shard, a non-integer delta and an empty update', () => {
    expect(() => counterUpdate('t', 'g', COUNTER_SHARDS, { a: 1 })).toThrow(RangeError);
    expect(() => counterUpdate('t', 'g', -1, { a: 1 })).toThrow(RangeError);
    expect(() => counterUpdate('t', 'g', 0, { a: 0.5 })).toThrow(RangeError);
    expect(() => counterUpdate('t', 'g', 0, { a: 0 })).toThrow(RangeError);
    expect(counterUpdate('t', 'g', 0, { 'a:b': 2, z: 0 })).toEqual({
      TableName: 't',
      Key: { pk: 'COUNTS#g#0', sk: 'COUNTS' },
      UpdateExpression: 'ADD #c0 :c0',
      ExpressionAttributeNames: { '#c0': 'c:a:b' },
      ExpressionAttributeValues: { ':c0': 2 },
    });
  });
});
