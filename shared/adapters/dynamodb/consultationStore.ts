/**
 * Consultations, their comments, campaign groups and counters in the single table.
 *
 *  - consultation ...... pk=CONSULTATION#<id> sk=CONSULTATION (versioned; gsi1 once not a draft,
 *                        gsi3 while open, by closesAt, and while its grouping is pending, by closedAt)
 *  - comment ........... pk=COMMENTS#<id>#<0..15> sk=<reference>; gsi1pk=CGROUP#<id>#<groupKey>
 *  - campaign group .... pk=GROUPS#<id> sk=<groupKey> (size, section, stance, exemplar; groups of
 *                        two or more, tallied after the close: grouping.ts)
 *  - counters .......... shardedCounter.ts group CONSULTATION#<id>: c:<section>:<stance>,
 *                        d:<section>:<stance>:<disposition>, dept:<code>, age:<band>
 *
 * Comments are written without transactions (counting.ts says why that is exact): while the
 * consultation takes comments, with BatchWriteItem (a redelivered comment rewrites the same item:
 * no change, no stream record, nothing counted twice; no disposition exists yet to overwrite);
 * after that (a late comment), each with a conditional put, so nothing written is ever replaced.
 * The counts come from the stream (`countComments`): per comment partition p, counter shard p,
 * with the checkpoint `countedThrough` (the last stream sequence counted) in the same item.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  addDeltas,
  dispositionDeltas,
  GROUP_KEY,
  REFERENCE,
  type StoredComment,
} from '#domain/participation/comment.ts';
import type { Consultation } from '#domain/participation/consultation.ts';
import { countSince, type StreamComment } from '#domain/participation/counting.ts';
import type { CommentGroup, GroupRow, GroupTally } from '#domain/participation/grouping.ts';
import { CONSULTATION_ID } from '#domain/participation/ids.ts';
import { InvalidCursorError, type Page } from '#ports/index.ts';
import { type ConsultationStore, type DispositionChange, StaleCommentError } from '#ports/participation.ts';
import { COMMENT_PARTITIONS, commentPartition, keys } from './keys.ts';
import { COUNTER_SHARDS, counterKey, counterUpdate, readCounters } from './shardedCounter.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const;

function strip<T>(item: Item): T {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const backoff = (attempt: number) => sleep(Math.random() * Math.min(200, 10 * 2 ** Math.min(attempt, 5)));
const randomShard = () => Math.floor(Math.random() * COUNTER_SHARDS);
const utc = (instant: string) => new Date(instant).toISOString();

/** Items per BatchWriteItem call (the service's limit). */
const BATCH_WRITE_LIMIT = 25;
/** Calls in flight when a batch of items is written. */
const WRITES_IN_FLIGHT = 8;
/** Attribute of a counter shard: the sequence key of the last stream record it counted. */
const COUNTED_THROUGH = 'countedThrough';

/** Comments per disposition transaction (+ the counter update and the consultation check). */
const DISPOSE_CHUNK = 98;
const RETRYABLE = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'None',
]);

/** An opaque cursor: base64url JSON of a key whose attributes must pass `check`. */
function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode<T>(cursor: string | undefined, check: (value: unknown) => value is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API gave');
}

function isKey(
  value: unknown,
  shapes: Readonly<Record<string, (v: string) => boolean>>,
): value is Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value as Item);
  if (entries.length !== Object.keys(shapes).length) return false;
  return entries.every(([k, v]) => typeof v === 'string' && shapes[k]?.(v) === true);
}

const ISO_ID = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#/;

/**
 * Characters of comment text one page of comments may carry (a comment may have 50,000): with
 * HTML escaping (`<` → `&lt;`, 4×) a report page stays far below Lambda's 6 MB response.
 */
const PAGE_TEXT_BUDGET = 500_000;

/** Queries one group listing may make (each reads up to 1 MB of the groups' partition). */
const MAX_GROUP_READS = 8;

export class DynamoConsultationStore implements ConsultationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private consultationItem(c: Consultation): Item {
    return {
      ...keys.consultation(c.id),
      ...c,
      ...(c.status !== 'draft'
        ? { gsi1pk: keys.consultationsIndex, gsi1sk: `${utc(c.opensAt)}#${c.id}` }
        : {}),
      ...(c.status === 'open'
        ? { gsi3pk: keys.openConsultations, gsi3sk: `${utc(c.closesAt)}#${c.id}` }
        : c.grouping?.state === 'pending'
          ? { gsi3pk: keys.groupingDue, gsi3sk: `${utc(c.closedAt ?? c.closesAt)}#${c.id}` }
          : {}),
    };
  }

  async create(c: Consultation): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: this.consultationItem(c),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<Consultation | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.consultation(id), ConsistentRead: true }),
    );
    return out.Item ? strip<Consultation>(out.Item) : undefined;
  }

  async save(next: Consultation): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.consultationItem(next),
          ConditionExpression: 'version = :previous',
          ExpressionAttributeValues: { ':previous': next.version - 1 },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async listPublic(page: { limit: number; cursor?: string }): Promise<Page<Consultation>> {
    const start = decode(page.cursor, (v): v is Record<string, string> =>
      isKey(v, {
        pk: (s) => s.startsWith('CONSULTATION#') && CONSULTATION_ID.test(s.slice('CONSULTATION#'.length)),
        sk: (s) => s === 'CONSULTATION',
        gsi1pk: (s) => s === keys.consultationsIndex,
        gsi1sk: (s) => ISO_ID.test(s),
      }),
    );
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :all',
        ExpressionAttributeValues: { ':all': keys.consultationsIndex },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => strip<Consultation>(i)),
      ...(out.LastEvaluatedKey ? { cursor: encode(out.LastEvaluatedKey) } : {}),
    };
  }

  async listOpenClosingBefore(before: string, limit: number): Promise<string[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :open AND gsi3sk < :before',
        ExpressionAttributeValues: { ':open': keys.openConsultations, ':before': utc(before) },
        ProjectionExpression: 'id',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => String(i.id));
  }

  async listGroupingDue(limit: number): Promise<string[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :due',
        ExpressionAttributeValues: { ':due': keys.groupingDue },
        ProjectionExpression: 'id',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => String(i.id));
  }

  /** Puts items with BatchWriteItem, a few calls in flight, retrying what the service leaves unprocessed. */
  private async batchPut(items: readonly Item[]): Promise<void> {
    const chunks: Item[][] = [];
    for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT)
      chunks.push(items.slice(i, i + BATCH_WRITE_LIMIT));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(WRITES_IN_FLIGHT, chunks.length) }, async () => {
        while (next < chunks.length) {
          let requests = chunks[next++]!.map((Item) => ({ PutRequest: { Item } }));
          for (let round = 0; requests.length > 0; round++) {
            if (round > 8) throw new Error('batch write: items still unprocessed');
            if (round > 0) await backoff(round);
            const out = await this.db.send(
              new BatchWriteCommand({ RequestItems: { [this.table]: requests } }),
            );
            requests = (out.UnprocessedItems?.[this.table] ?? []) as typeof requests;
          }
        }
      }),
    );
  }

  private commentItem(c: StoredComment): Item {
    return {
      ...keys.comment(c.consultationId, c.reference),
      ...c,
      gsi1pk: keys.commentGroupIndex(c.consultationId, c.groupKey),
      gsi1sk: c.reference,
    };
  }

  async ingestComments(
    comments: readonly StoredComment[],
    options: { overwrite: boolean },
  ): Promise<{ duplicates: string[] }> {
    const unique = new Map<string, StoredComment>();
    const duplicates: string[] = [];
    for (const c of comments) {
      if (unique.has(c.reference)) duplicates.push(c.reference);
      else unique.set(c.reference, c);
    }
    if (options.overwrite) {
      await this.batchPut([...unique.values()].map((c) => this.commentItem(c)));
      return { duplicates };
    }
    const pending = [...unique.values()];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(WRITES_IN_FLIGHT, pending.length) }, async () => {
        while (next < pending.length) {
          const c = pending[next++]!;
          try {
            await this.db.send(
              new PutCommand({
                TableName: this.table,
                Item: this.commentItem(c),
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            );
          } catch (error) {
            if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
            duplicates.push(c.reference);
          }
        }
      }),
    );
    return { duplicates };
  }

  async countComments(consultationId: string, records: readonly StreamComment[]): Promise<number> {
    const byPartition = new Map<number, StreamComment[]>();
    for (const r of records) {
      if (r.comment.consultationId !== consultationId) {
        throw new Error(`a comment of ${r.comment.consultationId} counted for ${consultationId}`);
      }
      const p = commentPartition(r.comment.reference);
      const list = byPartition.get(p);
      if (list) list.push(r);
      else byPartition.set(p, [r]);
    }
    const group = keys.consultationCounters(consultationId);
    // The checkpoints of every partition at hand in one read, then one update per partition.
    const checkpoints = await this.checkpoints(group, [...byPartition.keys()]);
    const counted = await Promise.all(
      [...byPartition].map(async ([partition, list]) => {
        let checkpoint = checkpoints.get(partition);
        for (let attempt = 0; attempt < 5; attempt++) {
          if (attempt > 0) checkpoint = (await this.checkpoints(group, [partition])).get(partition);
          const plan = countSince(list, checkpoint);
          if (plan.counted === 0) return 0;
          const add = counterUpdate(this.table, group, partition, plan.deltas);
          try {
            await this.db.send(
              new UpdateCommand({
                ...add,
                UpdateExpression: `${add.UpdateExpression} SET #through = :through`,
                ConditionExpression:
                  checkpoint === undefined ? 'attribute_not_exists(#through)' : '#through = :checkpoint',
                ExpressionAttributeNames: { ...add.ExpressionAttributeNames, '#through': COUNTED_THROUGH },
                ExpressionAttributeValues: {
                  ...add.ExpressionAttributeValues,
                  ':through': plan.through,
                  ...(checkpoint === undefined ? {} : { ':checkpoint': checkpoint }),
                },
              }),
            );
            return plan.counted;
          } catch (error) {
            // Another delivery of the same records counted meanwhile: read the checkpoint again.
            if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          }
        }
        throw new Error(`counter shard ${partition} of ${consultationId} keeps changing`);
      }),
    );
    return counted.reduce((a, b) => a + b, 0);
  }

  /** The counting checkpoints of some shards of a counter group (strongly consistent). */
  private async checkpoints(group: string, shards: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    const shardOf = new Map(shards.map((p) => [counterKey(group, p).pk, p]));
    let pending: Item[] = shards.map((p) => counterKey(group, p));
    for (let round = 0; pending.length > 0; round++) {
      if (round > 8) throw new Error('checkpoint read: keys still unprocessed');
      if (round > 0) await backoff(round);
      const out = await this.db.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: {
              Keys: pending,
              ConsistentRead: true,
              ProjectionExpression: 'pk, #through',
              ExpressionAttributeNames: { '#through': COUNTED_THROUGH },
            },
          },
        }),
      );
      for (const item of out.Responses?.[this.table] ?? []) {
        const p = shardOf.get(String(item.pk));
        if (p !== undefined && typeof item[COUNTED_THROUGH] === 'string') found.set(p, item[COUNTED_THROUGH]);
      }
      pending = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
    }
    return found;
  }

  async getComments(consultationId: string, references: readonly string[]): Promise<StoredComment[]> {
    const found: StoredComment[] = [];
    const unique = [...new Set(references)];
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Item[] = unique.slice(i, i + 100).map((r) => keys.comment(consultationId, r));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 8) throw new Error('comment read: keys still unprocessed');
        if (round > 0) await backoff(round);
        const out = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(out.Responses?.[this.table] ?? []).map((item) => strip<StoredComment>(item)));
        pending = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return found;
  }

  /** All comments, partition after partition; the cursor names the partition and the position in it. */
  async listComments(
    consultationId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredComment>> {
    const start = decode(page.cursor, (v): v is { p: number; k?: { pk: string; sk: string } } => {
      if (v === null || typeof v !== 'object') return false;
      const { p, k, ...rest } = v as { p?: unknown; k?: unknown };
      if (Object.keys(rest).length > 0 || typeof p !== 'number' || !Number.isInteger(p)) return false;
      if (p < 0 || p >= COMMENT_PARTITIONS) return false;
      return (
        k === undefined ||
        isKey(k, { pk: (s) => s === keys.commentPartition(consultationId, p), sk: (s) => REFERENCE.test(s) })
      );
    });
    const items: StoredComment[] = [];
    let partition = start?.p ?? 0;
    let from = start?.k;
    let chars = 0;
    let full = false;
    while (partition < COMMENT_PARTITIONS && items.length < page.limit && !full) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.commentPartition(consultationId, partition) },
          Limit: page.limit - items.length,
          ...(from ? { ExclusiveStartKey: from } : {}),
        }),
      );
      const got = out.Items ?? [];
      let taken = 0;
      for (const item of got) {
        const c = strip<StoredComment>(item);
        // A page's texts stay within PAGE_TEXT_BUDGET (a page always has at least one comment).
        if (items.length > 0 && chars + c.text.length > PAGE_TEXT_BUDGET) {
          full = true;
          break;
        }
        items.push(c);
        chars += c.text.length;
        taken++;
      }
      if (full) {
        const last = got[taken - 1];
        // Cut inside this query: go on after the last comment taken (or where this query began).
        if (last) from = { pk: String(last.pk), sk: String(last.sk) };
      } else if (out.LastEvaluatedKey) {
        from = { pk: String(out.LastEvaluatedKey.pk), sk: String(out.LastEvaluatedKey.sk) };
      } else {
        partition++;
        from = undefined;
      }
    }
    if (partition >= COMMENT_PARTITIONS) return { items };
    return { items, cursor: encode(from ? { p: partition, k: from } : { p: partition }) };
  }

  async tallyGroups(consultationId: string, tally: GroupTally): Promise<void> {
    // The partitions in parallel, each page by page; only what the tally needs is read back.
    await Promise.all(
      Array.from({ length: COMMENT_PARTITIONS }, async (_, partition) => {
        let from: Item | undefined;
        do {
          const out = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': keys.commentPartition(consultationId, partition) },
              ProjectionExpression: 'groupKey, sectionId, stance, #reference, acceptedAt',
              ExpressionAttributeNames: { '#reference': 'reference' },
              ConsistentRead: true,
              ...(from ? { ExclusiveStartKey: from } : {}),
            }),
          );
          tally.add((out.Items ?? []) as GroupRow[]);
          from = out.LastEvaluatedKey;
        } while (from);
      }),
    );
  }

  async putGroups(consultationId: string, groups: readonly CommentGroup[]): Promise<void> {
    await this.batchPut(
      groups.map((g) => ({
        ...keys.commentGroup(consultationId, g.key),
        sectionId: g.sectionId,
        stance: g.stance,
        size: g.size,
        exemplar: g.exemplar,
      })),
    );
  }

  async listGroupMembers(
    consultationId: string,
    groupKey: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredComment>> {
    const index = keys.commentGroupIndex(consultationId, groupKey);
    const start = decode(page.cursor, (v): v is Record<string, string> =>
      isKey(v, {
        pk: (s) => s.startsWith(`COMMENTS#${consultationId}#`),
        sk: (s) => REFERENCE.test(s),
        gsi1pk: (s) => s === index,
        gsi1sk: (s) => REFERENCE.test(s),
      }),
    );
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': index },
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => strip<StoredComment>(i)),
      ...(out.LastEvaluatedKey ? { cursor: encode(out.LastEvaluatedKey) } : {}),
    };
  }

  private group(item: Item): CommentGroup {
    return {
      key: String(item.sk),
      sectionId: String(item.sectionId),
      stance: item.stance as CommentGroup['stance'],
      size: Number(item.size ?? 0),
      exemplar: String(item.exemplar),
    };
  }

  async listGroups(
    consultationId: string,
    page: { limit: number; cursor?: string; minSize: number },
  ): Promise<Page<CommentGroup>> {
    const pk = keys.commentGroups(consultationId);
    const start = decode(page.cursor, (v): v is Record<string, string> =>
      isKey(v, { pk: (s) => s === pk, sk: (s) => GROUP_KEY.test(s) }),
    );
    const items: CommentGroup[] = [];
    let from = start;
    // Groups of one are most of them: read on until the page is full or the groups end, but at
    // most MAX_GROUP_READS queries a request (a short page then comes with its cursor).
    let reads = 0;
    do {
      reads++;
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#size >= :min',
          ExpressionAttributeNames: { '#size': 'size' },
          ExpressionAttributeValues: { ':pk': pk, ':min': page.minSize },
          Limit: Math.max(page.limit - items.length, 100),
          ...(from ? { ExclusiveStartKey: from } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        if (items.length < page.limit) {
          items.push(this.group(item));
          from = { pk: String(item.pk), sk: String(item.sk) };
        } else break;
      }
      if (items.length >= page.limit) break;
      from = out.LastEvaluatedKey
        ? { pk: String(out.LastEvaluatedKey.pk), sk: String(out.LastEvaluatedKey.sk) }
        : undefined;
    } while (from && reads < MAX_GROUP_READS);
    return { items, ...(from ? { cursor: encode(from) } : {}) };
  }

  async getGroups(consultationId: string, groupKeys: readonly string[]): Promise<Map<string, CommentGroup>> {
    const groups = new Map<string, CommentGroup>();
    const unique = [...new Set(groupKeys)];
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Item[] = unique.slice(i, i + 100).map((k) => keys.commentGroup(consultationId, k));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 8) throw new Error('group read: keys still unprocessed');
        if (round > 0) await backoff(round);
        const out = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending } } }),
        );
        for (const item of out.Responses?.[this.table] ?? []) groups.set(String(item.sk), this.group(item));
        pending = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return groups;
  }

  async applyDispositions(consultation: Consultation, changes: readonly DispositionChange[]): Promise<void> {
    for (let i = 0; i < changes.length; i += DISPOSE_CHUNK) {
      const chunk = changes.slice(i, i + DISPOSE_CHUNK);
      const deltas: Record<string, number> = {};
      for (const { comment, disposition } of chunk) {
        addDeltas(deltas, dispositionDeltas(comment, comment.disposition?.value, disposition.value));
      }
      const moved = Object.values(deltas).some((d) => d !== 0);
      const items: TransactItem[] = [
        ...chunk.map(
          ({ comment, disposition }): TransactItem => ({
            Update: {
              TableName: this.table,
              Key: keys.comment(consultation.id, comment.reference),
              UpdateExpression: 'SET disposition = :d, version = :next',
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: {
                ':d': disposition,
                ':v': comment.version,
                ':next': comment.version + 1,
              },
            },
          }),
        ),
        {
          ConditionCheck: {
            TableName: this.table,
            Key: keys.consultation(consultation.id),
            ConditionExpression: '#status IN (:closed, :answered)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':answered': 'answered' },
          },
        },
        ...(moved
          ? [
              {
                Update: counterUpdate(
                  this.table,
                  keys.consultationCounters(consultation.id),
                  randomShard(),
                  deltas,
                ),
              },
            ]
          : []),
      ];
      for (let attempt = 0; ; attempt++) {
        try {
          await this.db.send(new TransactWriteCommand({ TransactItems: items }));
          break;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const reasons = error.CancellationReasons ?? [];
          if (reasons[chunk.length]?.Code === 'ConditionalCheckFailed') {
            throw new StaleCommentError('the consultation no longer takes dispositions');
          }
          if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) {
            throw new StaleCommentError('a comment changed since it was read');
          }
          const fatal = reasons.find((r) => r.Code !== undefined && !RETRYABLE.has(r.Code));
          if (fatal || attempt >= 10) throw new Error(`disposition refused: ${fatal?.Code ?? 'contention'}`);
          await backoff(attempt);
        }
      }
    }
  }

  counters(consultationId: string, options: { consistent?: boolean } = {}): Promise<Record<string, number>> {
    return readCounters(this.db, this.table, keys.consultationCounters(consultationId), options);
  }
}
