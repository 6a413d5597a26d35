/**
 * Pending uploads in the single table (expire by TTL, `expiresAt`):
 *  - upload ........ pk=UPLOAD#<id>                       sk=UPLOAD
 * (How many an uploader asked for is a rate limit: rateLimiter.ts, bucket `upload#<owner>`.)
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DocumentUploads, PendingUpload } from '#ports/documents.ts';
import { keys, withoutKeys } from './keys.ts';
import { Table } from './table.ts';

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
}
