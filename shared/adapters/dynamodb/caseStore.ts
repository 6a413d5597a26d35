import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { WatchView } from '#domain/case/watch.ts';
import { DEFAULT_THRESHOLDS, type SemaforoThresholds } from '#domain/clock/index.ts';
import { isNotifiedType } from '#domain/noticeTypes.ts';
import {
  type CaseChange,
  type CaseStore,
  type FileCaseInput,
  type FileOutcome,
  type IdempotencyClaim,
  type InboxQuery,
  type Page,
  RadicadoBusyError,
  type ReceiptFacts,
  StaleCaseError,
  type SweepState,
  type Watched,
} from '#ports/index.ts';
import type { Pseudonym } from '#ports/pseudonyms.ts';
import { citizenCaseLinkItem } from './citizenStore.ts';
import {
  caseItem,
  itemOf,
  keys,
  NO_DATE,
  noticeMarkItem,
  ROUTING_OUTBOX_SHARDS,
  withoutKeys,
} from './keys.ts';
import { putNew, Table } from './table.ts';

/** What the filing's receipt attests (ReceiptFacts), under its own key family: docs/adr/0018. */
function receiptItem(record: CaseRecord) {
  const { radicado, entityId, receivedAt, contentSha256 } = record;
  return { ...keys.receipt(radicado), radicado, entityId, receivedAt, contentSha256 };
}

/** The pending notice mark of an audit event that asks for a notice (noticeMarkItem), else none. */
function noticeMarkPut(table: string, event: AuditEvent) {
  if (!isNotifiedType(event.type)) return [];
  const { sk } = keys.event(event.radicado, event.seq);
  return [
    { Put: { TableName: table, Item: noticeMarkItem.pending(event.radicado, sk, event.type, event.at) } },
  ];
}

/**
 * The put of a case's change: the whole item, on the condition that it is still at the version
 * read; its audit event; the event's pending notice mark, last (never refused).
 */
function casePut(table: string, change: CaseChange, thresholds: SemaforoThresholds) {
  return [
    {
      Put: {
        TableName: table,
        Item: itemOf(caseItem.keys(change.after, thresholds), change.after),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': change.before.version },
      },
    },
    putNew(table, itemOf(keys.event(change.event.radicado, change.event.seq), change.event)),
    ...noticeMarkPut(table, change.event),
  ];
}

const caseOf = (item: Record<string, unknown>) => withoutKeys<CaseRecord>(item, 'expiresAt');

/** A watch index entry as the sweeper reads it: the case's watched fields and the instant it is placed at. */
function watchedOf(item: Record<string, unknown>): Watched {
  const at = String(item.gsi3sk ?? '').split('#')[0] ?? '';
  return { case: withoutKeys<WatchView>(item), at: at === NO_DATE || at === '' ? null : at };
}

export interface CaseStoreOptions {
  /**
   * The entity's semáforo thresholds, which place a written case on the sweeper's watch index
   * (read through the entity store's cache; default: the design's thresholds).
   */
  thresholds?: (entityId: string) => Promise<SemaforoThresholds>;
}
const caseEventOf = (item: Record<string, unknown>) => withoutKeys<AuditEvent>(item, 'expiresAt');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff, capped at 100 ms (the deadline bounds the whole loop). */
function backoff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5)));
}

/** Cancellation reasons worth another attempt; anything else is a bug or a limit, not contention. */
const RETRYABLE = new Set([
  'None',
  'ConditionalCheckFailed',
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

interface IdempotencyItem {
  requestHash: string;
  /** The response as JSON text, so that a replay is byte for byte the first answer. */
  response: string;
  expiresAt?: number;
}

/**
 * Resolves once the work queued now has run: the SDK sends a request through promise and
 * next-tick callbacks, and `setImmediate` runs after those (before any reply can be read), so work
 * started then overlaps the round trip instead of delaying the request.
 */
const followerItem = (citizen: Pseudonym, c: CaseRecord) =>
  citizenCaseLinkItem(citizen, {
    radicado: c.radicado,
    entityId: c.entityId,
    receivedAt: c.receivedAt,
    linkedAt: c.receivedAt,
  });

const afterRequestSent = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class DynamoCaseStore implements CaseStore {
  /** Last radicado sequence this process saw per counter: saves the counter read on the usual path. */
  private readonly lastSeq = new Map<string, number>();
  /**
   * Filings on one counter are serialized within a process: concurrent ones here would only
   * collide on the counter's condition. Across processes (Lambda containers) the conditional
   * transaction with backoff keeps the sequence gap-free.
   */
  private readonly queues = new Map<string, Promise<unknown>>();

  private serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  private readonly items: Table;
  private readonly thresholds: (entityId: string) => Promise<SemaforoThresholds>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    options: CaseStoreOptions = {},
  ) {
    this.items = new Table(db, table);
    this.thresholds = options.thresholds ?? (async () => DEFAULT_THRESHOLDS);
  }

  fileCase<R>(input: FileCaseInput<R>): Promise<FileOutcome<R>> {
    // `now` and `deadline` are the caller's Clock, not necessarily the system's: the budget between
    // them runs on this process's monotonic clock, from this call (the wait in the queue included).
    const giveUpAt = performance.now() + (input.deadline - input.now);
    return this.serialized(keys.counter(input.entityId, input.year).pk, () =>
      this.allocateAndFile(input, giveUpAt),
    );
  }

  private async allocateAndFile<R>(input: FileCaseInput<R>, giveUpAt: number): Promise<FileOutcome<R>> {
    const counterKey = keys.counter(input.entityId, input.year);
    const counterId = counterKey.pk;
    const claim = input.idempotency;
    let checkKey = claim !== undefined;
    for (let attempt = 0; ; attempt++) {
      if (performance.now() >= giveUpAt) {
        throw new RadicadoBusyError(
          `no radicado on ${counterId} after ${attempt} attempts: too much contention`,
        );
      }
      if (claim && checkKey) {
        const existing = await this.readIdempotency(claim, input.now);
        if (existing) {
          return existing.requestHash === claim.requestHash
            ? { kind: 'replayed', response: JSON.parse(existing.response) as R }
            : { kind: 'key_conflict' };
        }
        checkKey = false;
      }
      const last = this.lastSeq.get(counterId) ?? (await this.readCounter(counterKey));
      const seq = last + 1;
      const built = await input.build(seq);
      const thresholds = await this.thresholds(built.record.entityId);
      const alongside = input.alongside?.(built.record.radicado);
      const alongsideThresholds = alongside && (await this.thresholds(alongside.after.entityId));
      // A stored answer (idempotency) is part of the write; otherwise it is made meanwhile.
      const stored = claim ? await built.respond() : undefined;
      try {
        const writing = this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: counterKey,
                  UpdateExpression: 'SET #last = :seq',
                  ConditionExpression: last === 0 ? 'attribute_not_exists(pk)' : '#last = :prev',
                  ExpressionAttributeNames: { '#last': 'last' },
                  ExpressionAttributeValues: last === 0 ? { ':seq': seq } : { ':seq': seq, ':prev': last },
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: itemOf(caseItem.keys(built.record, thresholds), built.record),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: itemOf(keys.event(built.event.radicado, built.event.seq), built.event),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...(claim
                ? [
                    {
                      Put: {
                        TableName: this.table,
                        Item: itemOf(keys.idempotency(claim.scope, claim.key), {
                          requestHash: claim.requestHash,
                          response: JSON.stringify(stored),
                          radicado: built.record.radicado,
                          ...(claim.expiresAt !== undefined ? { expiresAt: claim.expiresAt } : {}),
                        }),
                        // An expired record (TTL deletion lags) may be taken over.
                        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
                        ExpressionAttributeValues: { ':now': Math.floor(input.now / 1000) },
                      },
                    },
                  ]
                : []),
              ...(alongside && alongsideThresholds
                ? casePut(this.table, alongside, alongsideThresholds)
                : []),
              // Last, and never refused: the other items' places in the cancellation reasons stay.
              ...(input.follower
                ? [{ Put: { TableName: this.table, Item: followerItem(input.follower, built.record) } }]
                : []),
              ...noticeMarkPut(this.table, built.event),
              { Put: { TableName: this.table, Item: receiptItem(built.record) } },
            ],
          }),
        );
        const [, response] = await Promise.all([
          writing,
          claim ? (stored as R) : afterRequestSent().then(built.respond),
        ]);
        this.lastSeq.set(counterId, seq);
        return { kind: 'created', record: built.record, response };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const fatal = reasons.find((r) => r.Code !== undefined && !RETRYABLE.has(r.Code));
        if (fatal) throw new Error(`filing transaction refused: ${fatal.Code}`);
        if (input.alongside) {
          const at = claim ? 4 : 3;
          if (
            reasons[at]?.Code === 'ConditionalCheckFailed' ||
            reasons[at + 1]?.Code === 'ConditionalCheckFailed'
          ) {
            throw new StaleCaseError('the case filed alongside changed meanwhile');
          }
        }
        if (claim && reasons[3]?.Code === 'ConditionalCheckFailed') {
          checkKey = true; // someone filed with this key first: answer as they were answered
          continue;
        }
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          // Another filing took this number first (its case may already exist): read the counter again.
          this.lastSeq.delete(counterId);
        } else if (reasons[1]?.Code === 'ConditionalCheckFailed') {
          // The counter agreed but a case with this radicado exists: never overwrite, stop loudly.
          throw new Error(`radicado counter ${counterId} is behind its cases`);
        }
        if (claim) checkKey = true;
        await backoff(attempt);
      }
    }
  }

  private async readCounter(key: { pk: string; sk: string }): Promise<number> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return typeof out.Item?.last === 'number' ? out.Item.last : 0;
  }

  private async readIdempotency(claim: IdempotencyClaim, now: number): Promise<IdempotencyItem | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.idempotency(claim.scope, claim.key),
        ConsistentRead: true,
      }),
    );
    const item = out.Item as IdempotencyItem | undefined;
    if (!item || (item.expiresAt !== undefined && item.expiresAt < Math.floor(now / 1000))) return undefined;
    return item;
  }

  async get(radicado: string): Promise<CaseRecord | undefined> {
    // Strongly consistent: the router and the citizen read right after the filing's write.
    const item = await this.items.get(keys.case(radicado), { consistent: true });
    return item && caseOf(item);
  }

  async receiptFacts(radicado: string): Promise<ReceiptFacts | undefined> {
    const item = await this.items.get(keys.receipt(radicado), { consistent: true });
    return item && withoutKeys<ReceiptFacts>(item);
  }

  async getMany(radicados: readonly string[]): Promise<CaseRecord[]> {
    const items = await this.items.batchGet(
      radicados.map((r) => keys.case(r)),
      { consistent: true },
    );
    return items.map(caseOf);
  }

  async commit(change: CaseChange): Promise<void> {
    try {
      const thresholds = await this.thresholds(change.after.entityId);
      await this.db.send(
        new TransactWriteCommand({ TransactItems: casePut(this.table, change, thresholds) }),
      );
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')
      ) {
        throw new StaleCaseError(`case ${change.before.radicado} changed meanwhile`);
      }
      throw error;
    }
  }

  async listInbox(entityId: string, office: string, page: InboxQuery): Promise<Page<CaseRecord>> {
    const statuses = page.statuses ?? [];
    const out = await this.items.page(
      {
        index: 'gsi1',
        partition: keys.inbox(entityId, office),
        ...(page.priority !== undefined ? { sort: { beginsWith: page.priority ? 'P0#' : 'P1#' } } : {}),
        ...(statuses.length > 0
          ? {
              filter: {
                expression: `#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
                names: { '#status': 'status' },
                values: Object.fromEntries(statuses.map((s, i) => [`:s${i}`, s])),
              },
            }
          : {}),
        limit: page.limit,
      },
      caseItem.shapes,
      page.cursor,
    );
    // The index holds the keys and status only: the page's cases are fetched whole.
    return { ...out, items: (await this.items.whole('gsi1', out.items)).map(caseOf) };
  }

  async listWatched(
    entityId: string,
    until: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Watched>> {
    const out = await this.items.page(
      // `~` sorts after every radicado character: every case placed at `until` is included.
      { index: 'gsi3', partition: keys.watch(entityId), sort: { through: `${until}#~` }, limit: page.limit },
      caseItem.shapes,
      page.cursor,
    );
    // The index holds what the sweeper reads of a case (WATCH_VIEW_FIELDS): nothing is fetched.
    return { ...out, items: out.items.map(watchedOf) };
  }

  async moveWatch(read: Watched, at: string | null): Promise<boolean> {
    const record = read.case;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.case(record.radicado),
          UpdateExpression: 'SET gsi3sk = :sk',
          // Still pending at the version and place read: a case written since was placed by its
          // write, one another sweep run moved is its to keep.
          ConditionExpression: 'version = :version AND gsi3sk = :read',
          ExpressionAttributeValues: {
            ':sk': keys.watchSort(at ?? NO_DATE, record.radicado),
            ':read': keys.watchSort(read.at ?? NO_DATE, record.radicado),
            ':version': record.version,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async sweepState(): Promise<SweepState | undefined> {
    const item = await this.items.get(keys.sweepState, { consistent: true });
    return item && withoutKeys<SweepState>(item);
  }

  async saveSweepState(state: SweepState): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.sweepState, ...state } }));
  }

  /** The oldest unrouted cases: each shard's oldest, merged by receipt. */
  async listUnrouted(before: string, limit: number): Promise<string[]> {
    const shards = await Promise.all(
      Array.from({ length: ROUTING_OUTBOX_SHARDS }, (_, shard) =>
        this.items.query({
          index: 'gsi2',
          partition: keys.routingOutbox(shard),
          sort: { below: before },
          attributes: ['radicado', 'gsi2sk'],
          limit,
        }),
      ),
    );
    return shards
      .flatMap((s) => s.items)
      .sort((a, b) => String(a.gsi2sk).localeCompare(String(b.gsi2sk)))
      .slice(0, limit)
      .map((item) => String(item.radicado));
  }

  async events(radicado: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    const trail = { partition: keys.caseTrail(radicado), sort: { beginsWith: 'EVENT#' }, consistent: true };
    for await (const page of this.items.pages(trail)) events.push(...page.items.map(caseEventOf));
    return events;
  }

  async recordRejection(channel: string, externalId: string, reason: unknown, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.rejection(channel, externalId), channel, externalId, reason, at },
      }),
    );
  }
}
