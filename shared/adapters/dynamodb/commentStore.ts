/**
 * A consultation's comments: pk=COMMENTS#<id>#<0..15> sk=<reference>, on gsi1 with their campaign
 * group (gsi1pk=CGROUP#<id>#<groupKey>): participationItems.ts.
 *
 * Comments are written without transactions: BatchWriteItem while the consultation takes them,
 * conditional puts after; the stream counts them (consultationCounters.ts, checkpoint
 * `countedThrough` on counter shard p). Why: docs/adr/0004-counting-comments-from-stream.md
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { addDeltas, dispositionDeltas, type StoredComment } from '#domain/participation/comment.ts';
import type { Consultation } from '#domain/participation/consultation.ts';
import type { GroupRow, GroupTally } from '#domain/participation/grouping.ts';
import type { Page } from '#ports/index.ts';
import { type CommentStore, type DispositionChange, StaleCommentError } from '#ports/participation.ts';
import {
  COMMENT_PARTITIONS,
  encodeCursor,
  isKeyOf,
  itemOf,
  keyAttributes,
  keys,
  readCursor,
  withoutKeys,
} from './keys.ts';
import { commentItem } from './participationItems.ts';
import { COUNTER_SHARDS, counterUpdate } from './shardedCounter.ts';
import { type Item, Table } from './table.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const backoff = (attempt: number) => sleep(Math.random() * Math.min(200, 10 * 2 ** Math.min(attempt, 5)));
const randomShard = () => Math.floor(Math.random() * COUNTER_SHARDS);
const commentOf = (item: Item) => withoutKeys<StoredComment>(item);

/** Conditional puts in flight when late comments are written one by one. */
const WRITES_IN_FLIGHT = 8;
/** Comments per disposition transaction (+ the counter update and the consultation check). */
const DISPOSE_CHUNK = 98;
const RETRYABLE = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'None',
]);

/**
 * Characters of comment text one page of comments may carry (a comment may have 50,000): with
 * HTML escaping (`<` → `&lt;`, 4×) a report page stays far below Lambda's 6 MB response.
 */
const PAGE_TEXT_BUDGET = 500_000;

/** Where a listing of all comments goes on: a partition, and the last key read in it. */
type CommentsCursor = { p: number; k?: { pk: string; sk: string } };

export class DynamoCommentStore implements CommentStore {
  private readonly items: Table;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.items = new Table(db, table);
  }

  async ingest(
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
      await this.items.batchPut([...unique.values()].map((c) => itemOf(commentItem.keys(c), c)));
      return { duplicates };
    }
    const pending = [...unique.values()];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(WRITES_IN_FLIGHT, pending.length) }, async () => {
        while (next < pending.length) {
          const c = pending[next++]!;
          if (!(await this.items.putIf(itemOf(commentItem.keys(c), c)))) duplicates.push(c.reference);
        }
      }),
    );
    return { duplicates };
  }

  async get(consultationId: string, references: readonly string[]): Promise<StoredComment[]> {
    const wanted = [...new Set(references)].map((r) => keys.comment(consultationId, r));
    return (await this.items.batchGet(wanted, { consistent: true })).map(commentOf);
  }

  /** All comments, partition after partition; the cursor names the partition and the position in it. */
  async list(consultationId: string, page: { limit: number; cursor?: string }): Promise<Page<StoredComment>> {
    const start =
      page.cursor === undefined
        ? undefined
        : readCursor(page.cursor, (v): v is CommentsCursor => isCommentsCursor(v, consultationId));
    const items: StoredComment[] = [];
    let partition = start?.p ?? 0;
    let from: Item | undefined = start?.k;
    let chars = 0;
    let full = false;
    while (partition < COMMENT_PARTITIONS && items.length < page.limit && !full) {
      const out = await this.items.query(
        { partition: keys.commentPartition(consultationId, partition), limit: page.limit - items.length },
        from,
      );
      let taken = 0;
      for (const item of out.items) {
        const c = commentOf(item);
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
        // Cut inside this query: go on after the last comment taken (or where this query began).
        const last = out.items[taken - 1];
        if (last) from = tableKey(last);
      } else if (out.last) {
        from = tableKey(out.last);
      } else {
        partition++;
        from = undefined;
      }
    }
    if (partition >= COMMENT_PARTITIONS) return { items };
    return { items, cursor: encodeCursor(from ? { p: partition, k: tableKey(from) } : { p: partition }) };
  }

  async listGroupMembers(
    consultationId: string,
    groupKey: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredComment>> {
    const out = await this.items.page(
      { index: 'gsi1', partition: keys.commentGroupIndex(consultationId, groupKey), limit: page.limit },
      commentItem.shapes,
      page.cursor,
    );
    return { ...out, items: (await this.items.whole('gsi1', out.items)).map(commentOf) };
  }

  async tally(consultationId: string, tally: GroupTally): Promise<void> {
    // The partitions in parallel, each page by page; only what the tally needs is read back.
    await Promise.all(
      Array.from({ length: COMMENT_PARTITIONS }, async (_, partition) => {
        const comments = {
          partition: keys.commentPartition(consultationId, partition),
          attributes: ['groupKey', 'sectionId', 'stance', 'reference', 'acceptedAt'],
          consistent: true,
        };
        for await (const page of this.items.pages(comments)) tally.add(page.items as GroupRow[]);
      }),
    );
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
}

const tableKey = (item: Item) => ({ pk: String(item.pk), sk: String(item.sk) });

/** A cursor of `list`: a partition of this consultation, and a comment key of that partition. */
function isCommentsCursor(v: unknown, consultationId: string): v is CommentsCursor {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const { p, k, ...rest } = v as { p?: unknown; k?: unknown };
  if (Object.keys(rest).length > 0 || typeof p !== 'number' || !Number.isInteger(p)) return false;
  if (p < 0 || p >= COMMENT_PARTITIONS) return false;
  return (
    k === undefined ||
    (isKeyOf(k, keyAttributes(), commentItem.shapes) && k.pk === keys.commentPartition(consultationId, p))
  );
}
