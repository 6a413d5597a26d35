/**
 * Write-sharded counters: a group of named counters (a proposal's supports, a consultation's
 * stances per section…) spread over COUNTER_SHARDS items with distinct partition keys,
 * `pk = COUNTS#<group>#<shard>`, `sk = COUNTS`. A write adds to ONE shard (`counterUpdate`, an
 * Update that commits with whatever makes it count exactly once: in a transaction with the
 * conditional put of a support, or with the stream checkpoint of counted comments in the same
 * item, consultationStore.countComments); a read sums all shards (`readCounters`, one
 * BatchGetItem: O(shards), never O(supports or comments)). Totals are exact: every increment is
 * in exactly one shard and nothing is sampled.
 *
 * Each counter is a top-level number attribute named `c:<counter name>` (the prefix keeps counter
 * names apart from the key attributes; names may contain `:`, `#`, `.` — they always go through
 * ExpressionAttributeNames). `ADD` creates the shard item and the attribute on first use.
 *
 * 32 shards keep the busiest one well under a partition's write limit at 5,000 increments a second
 * on one group (test/unit/participation/proposalSharding.test.ts); shards may be added, never
 * removed, on a live table. Why: docs/adr/0005-sharded-counters.md
 */
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { fnv1a } from './keys.ts';
import { Table } from './table.ts';

/** Number of shard items per counter group. Why 32: docs/adr/0005-sharded-counters.md */
export const COUNTER_SHARDS = 32;

/** Attribute-name prefix of a counter inside a shard item. */
const COUNTER_PREFIX = 'c:';

/** The key of one shard item of a group. */
export function counterKey(group: string, shard: number): { pk: string; sk: string } {
  return { pk: `COUNTS#${group}#${shard}`, sk: 'COUNTS' };
}

/**
 * A deterministic shard in [0, COUNTER_SHARDS) for an id (FNV-1a, 32 bits): the same id (a
 * citizen's hash, a comment id) always lands on the same shard, ids spread evenly.
 */
export function shardFor(id: string, shards: number = COUNTER_SHARDS): number {
  return fnv1a(id) % shards;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type CounterUpdate = NonNullable<TransactItem['Update']>;

/**
 * A TransactWriteItems `Update` entry (lib-dynamodb shape: `{ Update: counterUpdate(…) }`) that
 * adds each delta to its named counter in one shard of the group. Deltas must be integers (a
 * negative one takes back, e.g. a changed stance); zero deltas are left out.
 */
export function counterUpdate(
  table: string,
  group: string,
  shard: number,
  deltas: Readonly<Record<string, number>>,
): CounterUpdate {
  if (!Number.isInteger(shard) || shard < 0 || shard >= COUNTER_SHARDS) {
    throw new RangeError(`shard ${shard} is outside [0, ${COUNTER_SHARDS})`);
  }
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds: string[] = [];
  let i = 0;
  for (const [name, delta] of Object.entries(deltas)) {
    if (!Number.isSafeInteger(delta)) throw new RangeError(`counter ${name}: delta must be an integer`);
    if (delta === 0) continue;
    names[`#c${i}`] = `${COUNTER_PREFIX}${name}`;
    values[`:c${i}`] = delta;
    adds.push(`#c${i} :c${i}`);
    i++;
  }
  if (adds.length === 0) throw new RangeError('counterUpdate needs at least one non-zero delta');
  return {
    TableName: table,
    Key: counterKey(group, shard),
    UpdateExpression: `ADD ${adds.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * The totals of several groups: one BatchGetItem per 100 shard keys (3 groups per call with 32
 * shards), retrying UnprocessedKeys with backoff (table.ts). A group nobody counted yet is `{}`; a counter
 * absent from the result is 0. `consistent` asks for strongly consistent reads (twice the RCU):
 * for decisions such as a threshold, not for public views.
 */
export async function readCounterGroups(
  db: DynamoDBDocumentClient,
  table: string,
  groups: readonly string[],
  options: { consistent?: boolean; shards?: number } = {},
): Promise<Map<string, Record<string, number>>> {
  const totals = new Map<string, Record<string, number>>();
  const groupOfPk = new Map<string, string>();
  const pending: Record<string, unknown>[] = [];
  for (const group of new Set(groups)) {
    totals.set(group, {});
    for (let shard = 0; shard < (options.shards ?? COUNTER_SHARDS); shard++) {
      const key = counterKey(group, shard);
      groupOfPk.set(key.pk, group);
      pending.push(key);
    }
  }
  const add = (item: Record<string, unknown>) => {
    const group = groupOfPk.get(String(item.pk));
    const sums = group === undefined ? undefined : totals.get(group);
    if (!sums) return;
    for (const [attribute, value] of Object.entries(item)) {
      if (!attribute.startsWith(COUNTER_PREFIX) || typeof value !== 'number') continue;
      const name = attribute.slice(COUNTER_PREFIX.length);
      sums[name] = (sums[name] ?? 0) + value;
    }
  };
  const items = await new Table(db, table).batchGet(pending, { consistent: options.consistent === true });
  for (const item of items) add(item);
  return totals;
}

/** The totals of one group: the sum over its shards (see readCounterGroups). */
export async function readCounters(
  db: DynamoDBDocumentClient,
  table: string,
  group: string,
  options: { consistent?: boolean } = {},
): Promise<Record<string, number>> {
  return (await readCounterGroups(db, table, [group], options)).get(group) ?? {};
}
