/**
 * A consultation's counters: shardedCounter.ts group CONSULTATION#<id>, counters
 * c:<section>:<stance>, d:<section>:<stance>:<disposition>, dept:<code>, age:<band>. Comments are
 * counted from the stream (`count`): per comment partition p, counter shard p, with the checkpoint
 * `countedThrough` (the last stream sequence counted) in the same item.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countSince, type StreamComment } from '#domain/participation/counting.ts';
import type { ConsultationCounters } from '#ports/participation.ts';
import { commentPartition, keys } from './keys.ts';
import { counterKey, counterUpdate, readCounters } from './shardedCounter.ts';
import { Table } from './table.ts';

/** Attribute of a counter shard: the sequence key of the last stream record it counted. */
const COUNTED_THROUGH = 'countedThrough';

export class DynamoConsultationCounters implements ConsultationCounters {
  private readonly items: Table;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.items = new Table(db, table);
  }

  async count(consultationId: string, records: readonly StreamComment[]): Promise<number> {
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
    const shardOf = new Map(shards.map((p) => [counterKey(group, p).pk, p]));
    const found = await this.items.batchGet(
      shards.map((p) => counterKey(group, p)),
      { consistent: true, attributes: ['pk', COUNTED_THROUGH] },
    );
    const checkpoints = new Map<number, string>();
    for (const item of found) {
      const p = shardOf.get(String(item.pk));
      const through = item[COUNTED_THROUGH];
      if (p !== undefined && typeof through === 'string') checkpoints.set(p, through);
    }
    return checkpoints;
  }

  totals(consultationId: string, options: { consistent?: boolean } = {}): Promise<Record<string, number>> {
    return readCounters(this.db, this.table, keys.consultationCounters(consultationId), options);
  }
}
