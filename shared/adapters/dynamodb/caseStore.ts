import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { isOpen, isPending, isSuspended } from '#domain/case/lifecycle.ts';
import {
  type CaseChange,
  type CaseStore,
  type FileCaseInput,
  type FileOutcome,
  type IdempotencyClaim,
  type InboxQuery,
  InvalidCursorError,
  type Page,
  RadicadoBusyError,
  StaleCaseError,
} from '#ports/index.ts';
import { decodeCursor, encodeCursor, keys, NO_DATE } from './keys.ts';

const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'expiresAt',
] as const;

/**
 * The index entries a case carries in its status: the routing outbox while received, the office
 * inbox while open (not closed) and in an office, the sweeper's watch index while pending (its
 * due date while the term runs; the petitioner's last day while suspended).
 */
export function caseIndexes(r: CaseRecord): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.status === 'received') {
    out.gsi2pk = keys.routingOutbox;
    out.gsi2sk = `${r.receivedAt}#${r.radicado}`;
  }
  if (isOpen(r.status) && r.office !== undefined && r.status !== 'received') {
    out.gsi1pk = keys.inbox(r.entityId, r.office);
    out.gsi1sk = keys.inboxSort(r.priority, r.dueDate ?? NO_DATE, r.radicado);
  }
  if (isPending(r.status)) {
    const watch = isSuspended(r.status) ? r.petitionerRespondBy : r.dueDate;
    out.gsi3pk = keys.watch(r.entityId);
    out.gsi3sk = keys.watchSort(watch ?? NO_DATE, r.radicado);
  }
  return out;
}

/** The put of a case's change: the whole item, on the condition that it is still at the version read. */
function casePut(table: string, change: CaseChange) {
  return [
    {
      Put: {
        TableName: table,
        Item: { ...keys.case(change.after.radicado), ...change.after, ...caseIndexes(change.after) },
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': change.before.version },
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...keys.event(change.event.radicado, change.event.seq), ...change.event },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/**
 * An item: its keys, then each part's attributes (a later part wins, as with spreads). Copied into
 * the fresh key object rather than spread into a literal: Node 20's V8 defines each attribute of a
 * second spread through its slow runtime path (measured: ~4× the instructions for a case's ~30
 * attributes); Node 22 is as fast either way.
 */
function itemOf(itemKeys: { pk: string; sk: string }, ...parts: object[]): Record<string, unknown> {
  return Object.assign(itemKeys, ...parts);
}

function strip<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

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

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  fileCase<R>(input: FileCaseInput<R>): Promise<FileOutcome<R>> {
    return this.serialized(keys.counter(input.entityId, input.year).pk, () => this.allocateAndFile(input));
  }

  private async allocateAndFile<R>(input: FileCaseInput<R>): Promise<FileOutcome<R>> {
    const counterKey = keys.counter(input.entityId, input.year);
    const counterId = counterKey.pk;
    const claim = input.idempotency;
    let checkKey = claim !== undefined;
    for (let attempt = 0; ; attempt++) {
      if (Date.now() >= input.deadline) {
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
                  Item: itemOf(keys.case(built.record.radicado), built.record, caseIndexes(built.record)),
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
              ...(input.alongside ? casePut(this.table, input.alongside(built.record.radicado)) : []),
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
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.case(radicado), ConsistentRead: true }),
    );
    return out.Item ? strip<CaseRecord>(out.Item) : undefined;
  }

  async commit(change: CaseChange): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: casePut(this.table, change) }));
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
    const start = decodeCursor(page.cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
    const inbox = keys.inbox(entityId, office);
    if (start && start.gsi1pk !== inbox) throw new InvalidCursorError('cursor belongs to another inbox');
    const values: Record<string, unknown> = { ':inbox': inbox };
    let condition = 'gsi1pk = :inbox';
    if (page.priority !== undefined) {
      condition += ' AND begins_with(gsi1sk, :band)';
      values[':band'] = page.priority ? 'P0#' : 'P1#';
    }
    const statuses = page.statuses ?? [];
    statuses.forEach((s, i) => {
      values[`:s${i}`] = s;
    });
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: condition,
        ...(statuses.length > 0
          ? {
              FilterExpression: `#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
              ExpressionAttributeNames: { '#status': 'status' },
            }
          : {}),
        ExpressionAttributeValues: values,
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map((i) => strip<CaseRecord>(i)), ...(cursor ? { cursor } : {}) };
  }

  async listWatched(
    entityId: string,
    until: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<CaseRecord>> {
    const start = decodeCursor(page.cursor, ['pk', 'sk', 'gsi3pk', 'gsi3sk']);
    const watch = keys.watch(entityId);
    if (start && start.gsi3pk !== watch) throw new InvalidCursorError('cursor belongs to another entity');
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi3',
        // `~` sorts after every radicado character: every case watched on `until` is included.
        KeyConditionExpression: 'gsi3pk = :watch AND gsi3sk <= :until',
        ExpressionAttributeValues: { ':watch': watch, ':until': `${until}#~` },
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map((i) => strip<CaseRecord>(i)), ...(cursor ? { cursor } : {}) };
  }

  async listUnrouted(before: string, limit: number): Promise<string[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :outbox AND gsi2sk < :before',
        ExpressionAttributeValues: { ':outbox': keys.routingOutbox, ':before': before },
        ProjectionExpression: 'radicado',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => String(i.radicado));
  }

  async events(radicado: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.case(radicado).pk, ':prefix': 'EVENT#' },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      events.push(...(out.Items ?? []).map((i) => strip<AuditEvent>(i)));
      start = out.LastEvaluatedKey;
    } while (start);
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
