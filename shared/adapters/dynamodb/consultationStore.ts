/**
 * Consultations, their comments, campaign groups and counters in the single table.
 *
 *  - consultation ...... pk=CONSULTATION#<id> sk=CONSULTATION (versioned; gsi1 once not a draft,
 *                        gsi3 while open, by closesAt)
 *  - comment ........... pk=COMMENTS#<id>#<0..15> sk=<reference>; gsi1pk=CGROUP#<id>#<groupKey>
 *  - campaign group .... pk=GROUPS#<id> sk=<groupKey> (size, section, stance, first member)
 *  - counters .......... shardedCounter.ts group CONSULTATION#<id>: c:<section>:<stance>,
 *                        d:<section>:<stance>:<disposition>, dept:<code>, age:<band>
 *
 * A batch of comments is one transaction: the comments' conditional puts (a reference already
 * written is a duplicate and cancels the transaction; it is dropped and the rest retried), each
 * group's size increment, and ONE counter update with the batch's increments summed, on a random
 * shard. So a redelivered comment is never counted twice and a burst touches each counter shard
 * once per batch.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  addDeltas,
  commentDeltas,
  dispositionDeltas,
  GROUP_KEY,
  REFERENCE,
  type StoredComment,
} from '#domain/participation/comment.ts';
import { CONSULTATION_ID, type Consultation } from '#domain/participation/consultation.ts';
import { InvalidCursorError, type Page } from '#ports/index.ts';
import {
  type CommentGroup,
  type ConsultationStore,
  type DispositionChange,
  StaleCommentError,
} from '#ports/participation.ts';
import { COMMENT_PARTITIONS, keys } from './keys.ts';
import { COUNTER_SHARDS, counterUpdate, readCounters } from './shardedCounter.ts';

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

/** Items of one transaction (the service's limit). */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * Comments in transactions of at most 100 items: each comment's put, one update per distinct
 * group of the chunk, one counter update. A campaign's comments share their group's update, so a
 * chunk holds up to 98 of them, and at least 49 distinct ones.
 */
export function pack(comments: readonly StoredComment[]): StoredComment[][] {
  const chunks: StoredComment[][] = [];
  let chunk: StoredComment[] = [];
  let groups = new Set<string>();
  for (const c of comments) {
    const size = chunk.length + 1 + groups.size + (groups.has(c.groupKey) ? 0 : 1) + 1;
    if (size > MAX_TRANSACTION_ITEMS) {
      chunks.push(chunk);
      chunk = [];
      groups = new Set();
    }
    chunk.push(c);
    groups.add(c.groupKey);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
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

  private commentPut(c: StoredComment): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.comment(c.consultationId, c.reference),
          ...c,
          gsi1pk: keys.commentGroupIndex(c.consultationId, c.groupKey),
          gsi1sk: c.reference,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The transaction of a chunk: its comments, then one update per group, then one counter shard. */
  private ingestItems(consultationId: string, chunk: readonly StoredComment[]): TransactItem[] {
    const groups = new Map<string, { c: StoredComment; n: number }>();
    const deltas: Record<string, number> = {};
    for (const c of chunk) {
      const g = groups.get(c.groupKey);
      if (g) g.n++;
      else groups.set(c.groupKey, { c, n: 1 });
      addDeltas(deltas, commentDeltas(c));
    }
    return [
      ...chunk.map((c) => this.commentPut(c)),
      ...[...groups.values()].map(
        ({ c, n }): TransactItem => ({
          Update: {
            TableName: this.table,
            Key: keys.commentGroup(consultationId, c.groupKey),
            UpdateExpression:
              'ADD #size :n SET sectionId = :section, stance = :stance, exemplar = if_not_exists(exemplar, :ref)',
            ExpressionAttributeNames: { '#size': 'size' },
            ExpressionAttributeValues: {
              ':n': n,
              ':section': c.sectionId,
              ':stance': c.stance,
              ':ref': c.reference,
            },
          },
        }),
      ),
      { Update: counterUpdate(this.table, keys.consultationCounters(consultationId), randomShard(), deltas) },
    ];
  }

  async ingestComments(
    consultation: Consultation,
    comments: readonly StoredComment[],
  ): Promise<{ duplicates: string[] }> {
    const duplicates: string[] = [];
    const seen = new Set<string>();
    const unique: StoredComment[] = [];
    for (const c of comments) {
      if (seen.has(c.reference)) duplicates.push(c.reference);
      else {
        seen.add(c.reference);
        unique.push(c);
      }
    }
    // A batch's chunks are independent (their comments differ; groups and counters take ADDs):
    // written in parallel, each retried on its own.
    await Promise.all(pack(unique).map((chunk) => this.ingestChunk(consultation.id, chunk, duplicates)));
    return { duplicates };
  }

  private async ingestChunk(
    consultationId: string,
    first: readonly StoredComment[],
    duplicates: string[],
  ): Promise<void> {
    let chunk = first;
    for (let attempt = 0; chunk.length > 0; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({ TransactItems: this.ingestItems(consultationId, chunk) }),
        );
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const dup = new Set<string>();
        chunk.forEach((c, j) => {
          if (reasons[j]?.Code === 'ConditionalCheckFailed') dup.add(c.reference);
        });
        if (dup.size > 0) {
          duplicates.push(...dup);
          chunk = chunk.filter((c) => !dup.has(c.reference));
          continue;
        }
        const fatal = reasons.find((r) => r.Code !== undefined && !RETRYABLE.has(r.Code));
        if (fatal || attempt >= 10)
          throw new Error(`comment ingestion refused: ${fatal?.Code ?? 'contention'}`);
        await backoff(attempt);
      }
    }
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
    while (partition < COMMENT_PARTITIONS && items.length < page.limit) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.commentPartition(consultationId, partition) },
          Limit: page.limit - items.length,
          ...(from ? { ExclusiveStartKey: from } : {}),
        }),
      );
      items.push(...(out.Items ?? []).map((i) => strip<StoredComment>(i)));
      if (out.LastEvaluatedKey) {
        from = { pk: String(out.LastEvaluatedKey.pk), sk: String(out.LastEvaluatedKey.sk) };
      } else {
        partition++;
        from = undefined;
      }
    }
    if (partition >= COMMENT_PARTITIONS) return { items };
    return { items, cursor: encode(from ? { p: partition, k: from } : { p: partition }) };
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
