/**
 * Proposals and supports on the single table (access patterns in infra/catalog.ts):
 *   proposal             pk=PROPOSAL#<id>                    sk=PROPOSAL
 *   entity's proposals   gsi1pk=PROPOSALS#<entity>           gsi1sk=<createdAt>#<id>
 *   to convert (sparse)  gsi3pk=PROPOSALS#TO_CONVERT          gsi3sk=<reachedAt>#<id>
 *   support              pk=PROPOSAL#<id>#SUPPORTS#<shard>   sk=SUPPORT#<citizenHash>
 *   supports counter     sharded counter group `proposal:<id>`, counter `supports`
 *
 * A support is one transaction: the conditional put of the citizen's support item and the ADD on
 * the counter shard of the same number (shardFor(citizenHash)). Either both commit or neither, and
 * the condition makes a second support of the same citizen (a retry, a double click, a race) write
 * nothing: the counter equals the number of support items, exactly. Both items of a hot proposal
 * spread over COUNTER_SHARDS partition keys (the support items too: one partition key for all of
 * them would take every write of the proposal, 2 WCU each).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  PROPOSAL_ID,
  type ProposalRecord,
  proposalCounterGroup,
  SUPPORTS_COUNTER,
  supportDeltas,
} from '#domain/participation/proposal.ts';
import { InvalidCursorError } from '#ports/index.ts';
import type { ProposalPage, ProposalStore, SupportOutcome } from '#ports/proposals.ts';
import { encodeCursor, keys } from './keys.ts';
import {
  COUNTER_SHARDS,
  counterUpdate,
  readCounterGroups,
  readCounters,
  shardFor,
} from './shardedCounter.ts';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi3pk', 'gsi3sk'] as const;

function strip(item: Record<string, unknown>): ProposalRecord {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as unknown as ProposalRecord;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Cancellation reasons of a support transaction worth another attempt. */
const RETRYABLE = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
const SUPPORT_ATTEMPTS = 6;

const PROPOSAL_ID_SOURCE = PROPOSAL_ID.source.replace(/^\^|\$$/g, '');
const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';

/** A listing cursor back as its key, or InvalidCursorError (it is client input). */
function decodeListCursor(cursor: string | undefined, entityId: string): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      const id = typeof v.pk === 'string' ? v.pk.slice('PROPOSAL#'.length) : '';
      const ok =
        Object.keys(v).length === 4 &&
        new RegExp(`^PROPOSAL#${PROPOSAL_ID_SOURCE}$`).test(String(v.pk)) &&
        v.sk === 'PROPOSAL' &&
        v.gsi1pk === keys.proposals(entityId) &&
        typeof v.gsi1sk === 'string' &&
        new RegExp(`^${ISO}#`).test(v.gsi1sk) &&
        v.gsi1sk.endsWith(`#${id}`);
      if (ok) return v as Record<string, string>;
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API gave for this listing');
}

export class DynamoProposalStore implements ProposalStore {
  /** Proposals this process read lately, for the support path (see ProposalStore.get). */
  private readonly recent = new Map<string, { proposal: ProposalRecord; at: number }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(proposal: ProposalRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.proposal(proposal.id),
          gsi1pk: keys.proposals(proposal.entityId),
          gsi1sk: keys.proposalsSort(proposal.createdAt, proposal.id),
          ...proposal,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string, options: { maxAgeMs?: number } = {}): Promise<ProposalRecord | undefined> {
    const now = Date.now();
    const hit = this.recent.get(id);
    if (hit && options.maxAgeMs !== undefined && now - hit.at <= options.maxAgeMs) return hit.proposal;
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.proposal(id),
        ConsistentRead: options.maxAgeMs === undefined,
      }),
    );
    if (!out.Item) return undefined;
    const proposal = strip(out.Item);
    if (this.recent.size >= 1000) this.recent.clear();
    this.recent.set(id, { proposal, at: now });
    return proposal;
  }

  async listByEntity(entityId: string, page: { limit: number; cursor?: string }): Promise<ProposalPage> {
    const start = decodeListCursor(page.cursor, entityId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.proposals(entityId) },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(strip), ...(cursor ? { cursor } : {}) };
  }

  async addSupport(proposalId: string, citizenHash: string, at: string): Promise<SupportOutcome> {
    const shard = shardFor(citizenHash);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: { ...keys.support(proposalId, shard, citizenHash), proposalId, at },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: counterUpdate(this.table, proposalCounterGroup(proposalId), shard, supportDeltas()),
              },
            ],
          }),
        );
        return 'added';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
        const retryable = reasons.every(
          (r) => r.Code === undefined || r.Code === 'None' || RETRYABLE.has(r.Code),
        );
        // Two requests of one citizen at once collide (TransactionConflict): the next attempt
        // finds the support written, or writes it.
        if (!retryable || attempt + 1 >= SUPPORT_ATTEMPTS) throw error;
        await sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));
      }
    }
  }

  async supports(proposalId: string, options: { consistent?: boolean } = {}): Promise<number> {
    const totals = await readCounters(this.db, this.table, proposalCounterGroup(proposalId), options);
    return totals[SUPPORTS_COUNTER] ?? 0;
  }

  async supportsOf(proposalIds: readonly string[]): Promise<Map<string, number>> {
    const groups = await readCounterGroups(this.db, this.table, proposalIds.map(proposalCounterGroup));
    return new Map(
      proposalIds.map((id) => [id, groups.get(proposalCounterGroup(id))?.[SUPPORTS_COUNTER] ?? 0]),
    );
  }

  async recount(proposalId: string): Promise<number> {
    let total = 0;
    for (let shard = 0; shard < COUNTER_SHARDS; shard++) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
            ExpressionAttributeValues: { ':pk': keys.supportShard(proposalId, shard), ':s': 'SUPPORT#' },
            Select: 'COUNT',
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        total += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
    }
    return total;
  }

  async markReached(proposalId: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.proposal(proposalId),
          UpdateExpression: 'SET reachedAt = :at, gsi3pk = :due, gsi3sk = :sort',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(radicado) AND attribute_not_exists(reachedAt)',
          ExpressionAttributeValues: {
            ':at': at,
            ':due': keys.proposalsToConvert,
            ':sort': keys.proposalsToConvertSort(at, proposalId),
          },
        }),
      );
    } catch (error) {
      // Already marked, or converted meanwhile: nothing to do.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
    this.recent.delete(proposalId);
  }

  async listToConvert(limit: number): Promise<string[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :due',
        ExpressionAttributeValues: { ':due': keys.proposalsToConvert },
        ProjectionExpression: '#id',
        ExpressionAttributeNames: { '#id': 'id' },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => String(i.id));
  }

  async markConverted(proposalId: string, radicado: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.proposal(proposalId),
          UpdateExpression:
            'SET #status = :converted, radicado = :r, convertedAt = :at REMOVE gsi3pk, gsi3sk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(radicado)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':converted': 'converted', ':r': radicado, ':at': at },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      const now = await this.get(proposalId);
      if (now?.radicado !== radicado) {
        throw new Error(`proposal ${proposalId} is converted into another case or does not exist`);
      }
    }
    this.recent.delete(proposalId);
  }
}
