/**
 * Pending uploads and upload counts in the single table (both expire by TTL, `expiresAt`):
 *  - upload ........ pk=UPLOAD#<id>                       sk=UPLOAD
 *  - upload count .. pk=RATE#upload#<owner>#<window>      sk=RATE   (n: uploads counted)
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentUploads, PendingUpload } from '#ports/documents.ts';
import { keys, withoutKeys } from './keys.ts';
import { conditionFailed, Table } from './table.ts';

export class DynamoDocumentUploads implements DocumentUploads {
  private readonly table: Table;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.table = new Table(db, table);
  }

  async put(upload: PendingUpload): Promise<void> {
    await this.table.create({ ...keys.upload(upload.id), ...upload });
  }

  async get(id: string): Promise<PendingUpload | undefined> {
    const item = await this.table.get(keys.upload(id), { consistent: true });
    return item ? withoutKeys<PendingUpload>(item) : undefined;
  }

  async count(owner: string, window: string, limit: number, expiresAt: number): Promise<boolean> {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.uploadCount(owner, window),
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
}
