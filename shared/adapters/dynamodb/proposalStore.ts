/**
 * Proposals and supports on the single table (access patterns in infra/catalog.ts):
 *   proposal             pk=PROPOSAL#<id>                    sk=PROPOSAL
 *   entity's proposals   gsi1pk=PROPOSALS#<entity>           gsi1sk=<createdAt>#<id>
 *   to convert (sparse)  gsi3pk=PROPOSALS#TO_CONVERT#<shard>  gsi3sk=<reachedAt>#<id>
 *   support              pk=PROPOSAL#<id>#SUPPORTS#<shard>   sk=SUPPORT#<citizenHash>  (+ keyVersion)
 *   supports counter     sharded counter group `proposal:<id>`, counter `supports`
 *
 * A support is one transaction: the conditional put of the citizen's support item and the ADD on
 * counter shard shardFor(citizenHash); a second support of the same citizen writes nothing. After
 * a rotation of the pseudonym key the transaction also checks that no support item exists under the
 * citizen's earlier hashes, so a citizen supports once across versions (docs/adr/0016-keys-in-kms.md).
 * Why: docs/adr/0005-sharded-counters.md
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FieldIssue } from '#domain/issues.ts';
import {
  type ProposalRecord,
  proposalCounterGroup,
  SUPPORTS_COUNTER,
  supportDeltas,
} from '#domain/participation/proposal.ts';
import type { ProposalPage, ProposalStore, SupportOutcome } from '#ports/proposals.ts';
import type { Pseudonym } from '#ports/pseudonyms.ts';
import {
  indexUpdate,
  itemOf,
  keys,
  PROPOSALS_TO_CONVERT_SHARDS,
  shardKeys,
  updateExpression,
  withoutKeys,
} from './keys.ts';
import { proposalItem } from './participationItems.ts';
import {
  COUNTER_SHARDS,
  counterUpdate,
  readCounterGroups,
  readCounters,
  shardFor,
} from './shardedCounter.ts';
import { conditionFailed, type Item, putNew, Table } from './table.ts';

const proposalOf = (item: Item) => withoutKeys<ProposalRecord>(item);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Cancellation reasons of a support transaction worth another attempt. */
const RETRYABLE = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
const SUPPORT_ATTEMPTS = 6;

export class DynamoProposalStore implements ProposalStore {
  /** Proposals this process read lately, for the support path (see ProposalStore.get). */
  private readonly recent = new Map<string, { proposal: ProposalRecord; at: number }>();
  private readonly items: Table;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.items = new Table(db, table);
  }

  create(proposal: ProposalRecord): Promise<void> {
    return this.items.create(itemOf(proposalItem.keys(proposal), proposal));
  }

  async get(id: string, options: { maxAgeMs?: number } = {}): Promise<ProposalRecord | undefined> {
    const now = Date.now();
    const hit = this.recent.get(id);
    if (hit && options.maxAgeMs !== undefined && now - hit.at <= options.maxAgeMs) return hit.proposal;
    const item = await this.items.get(keys.proposal(id), { consistent: options.maxAgeMs === undefined });
    if (!item) return undefined;
    const proposal = proposalOf(item);
    if (this.recent.size >= 1000) this.recent.clear();
    this.recent.set(id, { proposal, at: now });
    return proposal;
  }

  async listByEntity(entityId: string, page: { limit: number; cursor?: string }): Promise<ProposalPage> {
    const out = await this.items.page(
      { index: 'gsi1', partition: keys.proposals(entityId), descending: true, limit: page.limit },
      proposalItem.shapes,
      page.cursor,
    );
    return { ...out, items: (await this.items.whole('gsi1', out.items)).map(proposalOf) };
  }

  async addSupport(proposalId: string, supporter: readonly Pseudonym[], at: string): Promise<SupportOutcome> {
    const [current, ...earlier] = supporter;
    if (!current) throw new Error("a support needs the supporter's pseudonym");
    const shard = shardFor(current.hash);
    const earlierChecks = earlier.map((p) => ({
      ConditionCheck: {
        TableName: this.table,
        Key: keys.support(proposalId, shardFor(p.hash), p.hash),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              putNew(this.table, {
                ...keys.support(proposalId, shard, current.hash),
                proposalId,
                at,
                keyVersion: current.keyVersion,
              }),
              {
                Update: counterUpdate(this.table, proposalCounterGroup(proposalId), shard, supportDeltas()),
              },
              ...earlierChecks,
            ],
          }),
        );
        return 'added';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        // The support item (0) or one under an earlier version (2…) exists: this citizen supported it.
        if (reasons.some((r, i) => i !== 1 && r.Code === 'ConditionalCheckFailed')) return 'duplicate';
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
      const supports = {
        partition: keys.supportShard(proposalId, shard),
        sort: { beginsWith: 'SUPPORT#' },
        count: true,
        consistent: true,
      };
      for await (const page of this.items.pages(supports)) total += page.count;
    }
    return total;
  }

  async markReached(proposalId: string, at: string): Promise<void> {
    const toConvert = indexUpdate('gsi3', proposalItem.toConvert({ id: proposalId, reachedAt: at }));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.proposal(proposalId),
          UpdateExpression: updateExpression({ set: ['reachedAt = :at', ...toConvert.set] }),
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(radicado) AND attribute_not_exists(reachedAt)',
          ExpressionAttributeValues: { ':at': at, ...toConvert.values },
        }),
      );
    } catch (error) {
      // Already marked, or converted meanwhile: nothing to do.
      if (!conditionFailed(error)) throw error;
    }
    this.recent.delete(proposalId);
  }

  listToConvert(limit: number): Promise<string[]> {
    const due = shardKeys(PROPOSALS_TO_CONVERT_SHARDS, keys.proposalsToConvert);
    return this.items.valuesAcross({ index: 'gsi3', limit }, due, 'id');
  }

  async markConverted(proposalId: string, radicado: string, at: string): Promise<void> {
    if (await this.settle(proposalId, { status: 'converted', radicado, convertedAt: at })) return;
    const now = await this.get(proposalId);
    if (now?.radicado !== radicado) {
      throw new Error(`proposal ${proposalId} is converted into another case or does not exist`);
    }
  }

  async markFailed(proposalId: string, reason: readonly FieldIssue[], at: string): Promise<void> {
    // False when converted or failed already: nothing to do.
    await this.settle(
      proposalId,
      { status: 'conversion_failed', failure: [...reason], failedAt: at },
      'attribute_not_exists(failedAt)',
    );
  }

  /**
   * Ends a proposal's wait to convert: sets `outcome` on it and takes it off the index of
   * proposals to convert, if it exists, has no radicado and `condition` holds. False when not.
   */
  private async settle(
    proposalId: string,
    outcome: Partial<ProposalRecord>,
    condition?: string,
  ): Promise<boolean> {
    const offIndex = indexUpdate('gsi3', undefined);
    const fields = Object.entries(outcome);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.proposal(proposalId),
          UpdateExpression: updateExpression({
            set: fields.map((_, i) => `#a${i} = :a${i}`),
            remove: offIndex.remove,
          }),
          ConditionExpression: ['attribute_exists(pk)', 'attribute_not_exists(radicado)', condition]
            .filter(Boolean)
            .join(' AND '),
          ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#a${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:a${i}`, value])),
        }),
      );
      return true;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return false;
    } finally {
      this.recent.delete(proposalId);
    }
  }
}
