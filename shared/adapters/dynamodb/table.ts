/**
 * The single table's reads and batch writes, written once: key queries (a client's page behind a
 * checked cursor, every page of a partition), BatchGetItem and BatchWriteItem with their retries
 * of what the service leaves unprocessed.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError, type Page } from '#ports/index.ts';
import { decodeCursor, encodeCursor, type IndexName, type KeyShapes, keyAttributes } from './keys.ts';

export type Item = Record<string, unknown>;

/** One partition of the table or of an index, read by its key (never a scan). */
export interface KeyQuery {
  /** The index read; the table when absent. */
  index?: IndexName;
  /** The value of the partition key. */
  partition: string;
  /** A condition on the sort key. */
  sort?: { below: string } | { through: string } | { above: string } | { beginsWith: string };
  /** The attributes read (all when absent). */
  attributes?: readonly string[];
  /** A filter on the items read (its placeholders other than `:pk` and `:sk`). */
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
  descending?: boolean;
  consistent?: boolean;
  limit?: number;
  /** Counts the items instead of returning them. */
  count?: boolean;
}

export interface QueryResult {
  items: Item[];
  count: number;
  /** Where the next query goes on (the LastEvaluatedKey); absent at the end of the partition. */
  last?: Item;
}

/** Keys per BatchGetItem call and items per BatchWriteItem call (the service's limits). */
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
/** BatchWriteItem calls in flight when many items are written. */
const WRITES_IN_FLIGHT = 8;
/** Retry rounds for what the service leaves unprocessed before giving up (at most ~1.1 s of backoff). */
const MAX_ROUNDS = 8;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const backoff = (round: number) => sleep(Math.random() * Math.min(200, 10 * 2 ** Math.min(round, 5)));

function sortCondition(sort: NonNullable<KeyQuery['sort']>, attribute: string): string {
  if ('below' in sort) return `${attribute} < :sk`;
  if ('through' in sort) return `${attribute} <= :sk`;
  if ('above' in sort) return `${attribute} > :sk`;
  return `begins_with(${attribute}, :sk)`;
}

function sortValue(sort: NonNullable<KeyQuery['sort']>): string {
  if ('below' in sort) return sort.below;
  if ('through' in sort) return sort.through;
  return 'above' in sort ? sort.above : sort.beginsWith;
}

/** Whether a sort key value lies where the query reads (a start key elsewhere is refused by DynamoDB). */
function withinSort(sort: KeyQuery['sort'], value: string | undefined): boolean {
  if (!sort || value === undefined) return true;
  if ('below' in sort) return value < sort.below;
  if ('through' in sort) return value <= sort.through;
  if ('above' in sort) return value > sort.above;
  return value.startsWith(sort.beginsWith);
}

const sortAttribute = (q: Pick<KeyQuery, 'index'>) => (q.index ? `${q.index}sk` : 'sk');

/** Items in the order DynamoDB keeps them by this sort key (code unit order: the keys are ASCII). */
function inSortOrder(items: Item[], attribute: string, descending = false): Item[] {
  const sign = descending ? -1 : 1;
  return items.sort((a, b) => {
    const x = String(a[attribute]);
    const y = String(b[attribute]);
    return x < y ? -sign : x > y ? sign : 0;
  });
}

/** Whether a write failed on its condition (the SDK's ConditionalCheckFailedException). */
export const conditionFailed = (error: unknown): boolean =>
  (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';

/** A TransactWriteItems entry that writes an item once: never over one with the same key. */
export function putNew(table: string, item: Item) {
  return { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** A condition on a write, with its placeholders. */
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export class Table {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** The item of this key, if there is one. */
  async get(key: Item, options: { consistent?: boolean } = {}): Promise<Item | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.name,
        Key: key,
        ...(options.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return out.Item;
  }

  /** Writes a new item; ConditionalCheckFailedException (the SDK's) when an item has its key. */
  async create(item: Item): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  /** Puts the item if the condition holds (by default: no item has its key); false when it did not. */
  async putIf(
    item: Item,
    condition: Condition = { expression: 'attribute_not_exists(pk)' },
  ): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.name,
          Item: item,
          ConditionExpression: condition.expression,
          ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
          ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  private input(q: KeyQuery, start: Item | undefined): QueryCommandInput {
    const pk = q.index ? `${q.index}pk` : 'pk';
    const sk = q.index ? `${q.index}sk` : 'sk';
    const names: Record<string, string> = { ...q.filter?.names };
    q.attributes?.forEach((a, i) => {
      names[`#a${i}`] = a;
    });
    return {
      TableName: this.name,
      ...(q.index ? { IndexName: q.index } : {}),
      KeyConditionExpression: q.sort ? `${pk} = :pk AND ${sortCondition(q.sort, sk)}` : `${pk} = :pk`,
      ExpressionAttributeValues: {
        ...q.filter?.values,
        ':pk': q.partition,
        ...(q.sort ? { ':sk': sortValue(q.sort) } : {}),
      },
      ...(q.filter ? { FilterExpression: q.filter.expression } : {}),
      ...(q.attributes ? { ProjectionExpression: q.attributes.map((_, i) => `#a${i}`).join(', ') } : {}),
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(q.descending ? { ScanIndexForward: false } : {}),
      ...(q.consistent ? { ConsistentRead: true } : {}),
      ...(q.limit !== undefined ? { Limit: q.limit } : {}),
      ...(q.count ? { Select: 'COUNT' } : {}),
      ...(start ? { ExclusiveStartKey: start } : {}),
    };
  }

  /** One query, from `start`: a key this code holds (a LastEvaluatedKey), never a client's cursor. */
  async query(q: KeyQuery, start?: Item): Promise<QueryResult> {
    const out = await this.db.send(new QueryCommand(this.input(q, start)));
    return {
      items: out.Items ?? [],
      count: out.Count ?? 0,
      ...(out.LastEvaluatedKey ? { last: out.LastEvaluatedKey } : {}),
    };
  }

  /** One attribute of the items one query reads (an id of each, say), as strings. */
  async values(q: Omit<KeyQuery, 'attributes' | 'count'>, attribute: string): Promise<string[]> {
    const out = await this.query({ ...q, attributes: [attribute] });
    return out.items.map((i) => String(i[attribute]));
  }

  /**
   * The start key of a client's cursor: it must be a key of this index of the `shapes` given, in
   * this partition and within the sort condition, or InvalidCursorError (a 400), so that no cursor
   * reaches DynamoDB as a malformed ExclusiveStartKey (a 500).
   */
  startOf(q: KeyQuery, shapes: KeyShapes, cursor: string | undefined): Record<string, string> | undefined {
    const start = decodeCursor(cursor, keyAttributes(q.index), shapes);
    if (start) {
      const pk = start[q.index ? `${q.index}pk` : 'pk'];
      if (pk !== q.partition || !withinSort(q.sort, start[q.index ? `${q.index}sk` : 'sk'])) {
        throw new InvalidCursorError('cursor is not one this API gave for this listing');
      }
    }
    return start;
  }

  /** One page of a listing, from a client's cursor (checked: `startOf`). */
  async page(q: KeyQuery, shapes: KeyShapes, cursor: string | undefined): Promise<Page<Item>> {
    const out = await this.query(q, this.startOf(q, shapes, cursor));
    return { items: out.items, ...(out.last ? { cursor: encodeCursor(out.last) } : {}) };
  }

  /** One query of each partition at once (the keys of a sharded index). */
  private across(q: Omit<KeyQuery, 'partition'>, partitions: readonly string[]): Promise<QueryResult[]> {
    return Promise.all(partitions.map((partition) => this.query({ ...q, partition })));
  }

  /**
   * One attribute of the first `limit` items of several partitions (a sharded index) merged in
   * sort key order: each partition's first `limit`, merged, the first `limit` of those.
   */
  async valuesAcross(
    q: Omit<KeyQuery, 'partition' | 'attributes' | 'count'> & { limit: number },
    partitions: readonly string[],
    attribute: string,
  ): Promise<string[]> {
    const sort = sortAttribute(q);
    const shards = await this.across({ ...q, attributes: [attribute, sort] }, partitions);
    return inSortOrder(
      shards.flatMap((s) => s.items),
      sort,
      q.descending,
    )
      .slice(0, q.limit)
      .map((i) => String(i[attribute]));
  }

  /** Every item of several partitions (a sharded index), each read whole, merged in sort key order. */
  async allAcross(q: Omit<KeyQuery, 'partition' | 'count'>, partitions: readonly string[]): Promise<Item[]> {
    const shards = await Promise.all(
      partitions.map(async (partition) => {
        const items: Item[] = [];
        for await (const page of this.pages({ ...q, partition })) items.push(...page.items);
        return items;
      }),
    );
    return inSortOrder(shards.flat(), sortAttribute(q), q.descending);
  }

  /**
   * One page of a listing over several partitions (a sharded index), merged in sort key order. Its
   * cursor is the key of the page's last item (checked like `startOf`'s, in one of `partitions`):
   * the sort key names its item (`shapes` agree), so every partition goes on past that one value.
   */
  async pageAcross(
    q: Omit<KeyQuery, 'partition' | 'sort' | 'attributes' | 'count'> & { limit: number },
    partitions: readonly string[],
    shapes: KeyShapes,
    cursor: string | undefined,
  ): Promise<Page<Item>> {
    const sort = sortAttribute(q);
    const start = decodeCursor(cursor, keyAttributes(q.index), shapes);
    const partition = start?.[q.index ? `${q.index}pk` : 'pk'];
    if (partition !== undefined && !partitions.includes(partition)) {
      throw new InvalidCursorError('cursor is not one this API gave for this listing');
    }
    const position = start?.[sort];
    const past =
      position === undefined ? {} : { sort: q.descending ? { below: position } : { above: position } };
    const shards = await this.across({ ...q, ...past }, partitions);
    // A shard cut short (1 MB read) may hold more before other shards' items: none past its last.
    const bounds = shards
      .filter((s) => s.last !== undefined)
      .map((s) => String(s.items.at(-1)?.[sort] ?? ''));
    const within = (v: unknown) => bounds.every((b) => (q.descending ? String(v) >= b : String(v) <= b));
    const merged = inSortOrder(
      shards.flatMap((s) => s.items),
      sort,
      q.descending,
    ).filter((item) => within(item[sort]));
    const items = merged.slice(0, q.limit);
    const last = items.at(-1);
    const more = merged.length > items.length || shards.some((s) => s.last !== undefined);
    if (!more || last === undefined) return { items };
    const key = Object.fromEntries(keyAttributes(q.index).map((a) => [a, last[a]]));
    return { items, cursor: encodeCursor(key) };
  }

  /** Every page of the partition, in order. */
  async *pages(q: KeyQuery): AsyncGenerator<QueryResult> {
    let start: Item | undefined;
    do {
      const out = await this.query(q, start);
      yield out;
      start = out.last;
    } while (start);
  }

  /** The items of these keys (any order; missing ones left out), 100 keys a call, the calls at once. */
  async batchGet(
    keys: readonly Item[],
    options: { consistent?: boolean; attributes?: readonly string[] } = {},
  ): Promise<Item[]> {
    const names = options.attributes?.map((a, i) => [`#a${i}`, a] as const);
    const chunk = async (first: readonly Item[]): Promise<Item[]> => {
      const found: Item[] = [];
      let pending: Item[] = [...first];
      for (let round = 0; pending.length > 0; round++) {
        if (round > MAX_ROUNDS) throw new Error('batch read: keys still unprocessed');
        if (round > 0) await backoff(round);
        const out = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.name]: {
                Keys: pending,
                ...(options.consistent ? { ConsistentRead: true } : {}),
                ...(names
                  ? {
                      ProjectionExpression: names.map(([n]) => n).join(', '),
                      ExpressionAttributeNames: Object.fromEntries(names),
                    }
                  : {}),
              },
            },
          }),
        );
        found.push(...(out.Responses?.[this.name] ?? []));
        pending = out.UnprocessedKeys?.[this.name]?.Keys ?? [];
      }
      return found;
    };
    const chunks: Item[][] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) chunks.push(keys.slice(i, i + BATCH_GET_LIMIT));
    return (await Promise.all(chunks.map(chunk))).flat();
  }

  /**
   * The whole items of entries read from a lean index (infra/catalog.ts TABLE.indexes), in the
   * entries' order, by BatchGetItem. One deleted since, or moved to another partition of the index
   * (the index lags its table), is left out: a listing shows what is there now.
   */
  async whole(
    index: IndexName,
    entries: readonly Item[],
    options: { consistent?: boolean } = {},
  ): Promise<Item[]> {
    const keyOf = (i: Item) => JSON.stringify([i.pk, i.sk]);
    const found = new Map(
      (
        await this.batchGet(
          entries.map((e) => ({ pk: e.pk, sk: e.sk })),
          options,
        )
      ).map((i) => [keyOf(i), i]),
    );
    const partition = `${index}pk`;
    return entries.flatMap((e) => {
      const item = found.get(keyOf(e));
      return item !== undefined && item[partition] === e[partition] ? [item] : [];
    });
  }

  /** Puts items with BatchWriteItem, a few calls in flight, retrying what the service leaves unprocessed. */
  async batchPut(items: readonly Item[]): Promise<void> {
    const chunks: Item[][] = [];
    for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT)
      chunks.push(items.slice(i, i + BATCH_WRITE_LIMIT));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(WRITES_IN_FLIGHT, chunks.length) }, async () => {
        while (next < chunks.length) {
          let requests = chunks[next++]!.map((Item) => ({ PutRequest: { Item } }));
          for (let round = 0; requests.length > 0; round++) {
            if (round > MAX_ROUNDS) throw new Error('batch write: items still unprocessed');
            if (round > 0) await backoff(round);
            const out = await this.db.send(
              new BatchWriteCommand({ RequestItems: { [this.name]: requests } }),
            );
            requests = (out.UnprocessedItems?.[this.name] ?? []) as typeof requests;
          }
        }
      }),
    );
  }
}
