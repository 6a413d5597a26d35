import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COUNTER_SHARDS, shardFor } from '#adapters/dynamodb/shardedCounter.ts';

/**
 * The write-sharding claim, as arithmetic (5,000 supports/s cannot be run on DynamoDB Local).
 * One partition takes ~1,000 WCU/s; a transactional write of an item ≤ 1 KB costs 2 WCU; each
 * support adds to exactly one shard item. So a second of 5,000 supports must put < 500 increments
 * on every shard, and we want a wide margin.
 */
const PARTITION_WCU = 1_000;
const WCU_PER_TRANSACTIONAL_WRITE = 2;
const BURST = 5_000;

/** What the store shards by: a citizen's hash (hex SHA-256). */
const citizenHash = () => createHash('sha256').update(randomUUID()).digest('hex');

function loads(ids: readonly string[]): number[] {
  const load = new Array<number>(COUNTER_SHARDS).fill(0);
  for (const id of ids) load[shardFor(id)] = (load[shardFor(id)] ?? 0) + 1;
  return load;
}

describe('write sharding of counters', () => {
  it('has enough shards for 5,000/s even if the spread were perfect', () => {
    expect((BURST / COUNTER_SHARDS) * WCU_PER_TRANSACTIONAL_WRITE).toBeLessThan(PARTITION_WCU);
  });

  it('keeps the busiest shard of a 5,000-support second under half a partition, over 30 random bursts', () => {
    let worst = 0;
    for (let trial = 0; trial < 30; trial++) {
      const load = loads(Array.from({ length: BURST }, citizenHash));
      expect(load.reduce((a, b) => a + b, 0)).toBe(BURST);
      worst = Math.max(worst, ...load);
    }
    // Mean 156 per shard; the multinomial maximum over 32 shards sits near 190.
    expect(worst * WCU_PER_TRANSACTIONAL_WRITE).toBeLessThan(PARTITION_WCU / 2);
    expect(worst).toBeGreaterThanOrEqual(BURST / COUNTER_SHARDS);
  });

  it('spreads sequential ids too (not only random hashes), deterministically', () => {
    const ids = Array.from({ length: BURST }, (_, i) => `citizen-${i}`);
    const load = loads(ids);
    expect(Math.max(...load) * WCU_PER_TRANSACTIONAL_WRITE).toBeLessThan(PARTITION_WCU / 2);
    expect(Math.min(...load)).toBeGreaterThan(0);
    expect(ids.map((id) => shardFor(id))).toEqual(ids.map((id) => shardFor(id)));
    for (const id of ids.slice(0, 100)) expect(shardFor(id)).toBeGreaterThanOrEqual(0);
  });
});
