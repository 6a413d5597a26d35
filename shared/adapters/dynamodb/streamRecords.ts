/**
 * The table stream's records as the Counting pipe passes them on (DynamoDB JSON): comment INSERTs
 * (counted once by sequence) and the images of cases (counted by version).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { CountedCommentSchema, type StreamComment } from '#domain/participation/counting.ts';
import type { StreamCase } from '#ports/reports.ts';
import { withoutKeys } from './keys.ts';

/** A stream record as a pipe passes it on (DynamoDB JSON in NewImage). */
export interface PipeRecord {
  eventName?: string;
  dynamodb?: { SequenceNumber?: string; NewImage?: Record<string, AttributeValue> };
}

const isCase = (image: Record<string, AttributeValue> | undefined) => image?.sk?.S === 'CASE';

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

/** The records of a batch split: comments, and the new images of cases (our own items, as stored). */
export function streamRecords(records: readonly PipeRecord[]): {
  comments: StreamComment[];
  cases: StreamCase[];
  skipped: number;
} {
  const caseRecords = records.filter((r) => isCase(r.dynamodb?.NewImage));
  const { comments, skipped } = streamComments(records.filter((r) => !isCase(r.dynamodb?.NewImage)));
  const cases = caseRecords.map((r) => withoutKeys<StreamCase>(unmarshall(r.dynamodb!.NewImage!)));
  return { comments, cases, skipped };
}
