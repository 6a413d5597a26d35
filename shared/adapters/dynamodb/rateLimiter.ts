/**
 * Rate-limit counts in the single table, one item per bucket and window, forgotten by TTL:
 *  - count .. pk=RATE#<bucket>#<window>  sk=RATE  (n: uses counted; expiresAt)
 * A bucket names what is limited and whose (`upload#<owner>`, `track#<radicado>`…), never
 * personal data in the clear (owners and clients are keyed hashes or network addresses).
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '#ports/limits.ts';
import { keys } from './keys.ts';
import { conditionFailed, Table } from './table.ts';

export class DynamoRateLimiter implements RateLimiter {
  private readonly table: Table;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.table = new Table(db, table);
  }

  async take(bucket: string, window: string, limit: number, expiresAt: number): Promise<boolean> {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.rate(bucket, window),
          UpdateExpression: 'ADD n :one SET expiresAt = if_not_exists(expiresAt, :exp)',
          ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':exp': expiresAt },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async used(bucket: string, window: string): Promise<number> {
    const item = await this.table.get(keys.rate(bucket, window), { consistent: true });
    return typeof item?.n === 'number' ? item.n : 0;
  }
}
