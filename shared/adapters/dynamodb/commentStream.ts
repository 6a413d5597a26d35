/** The table stream's comment records as the CommentsCounted pipe passes them on (DynamoDB JSON). */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { CountedCommentSchema, type StreamComment } from '#domain/participation/counting.ts';

/** A stream record as a pipe passes it on (DynamoDB JSON in NewImage). */
export interface PipeRecord {
  eventName?: string;
  dynamodb?: { SequenceNumber?: string; NewImage?: Record<string, AttributeValue> };
}

export function streamComments(records: readonly PipeRecord[]): {
  comments: StreamComment[];
  skipped: number;
} {
  const comments: StreamComment[] = [];
  let skipped = 0;
  for (const record of records) {
    const sequence = record.dynamodb?.SequenceNumber;
    const image = record.dynamodb?.NewImage;
    const parsed =
      record.eventName === 'INSERT' && image !== undefined
        ? CountedCommentSchema.safeParse(unmarshall(image))
        : undefined;
    if (sequence === undefined || !parsed?.success) skipped++;
    else comments.push({ sequence, comment: parsed.data });
  }
  return { comments, skipped };
}
