/**
 * The table stream's records as the Counting pipe passes them on (DynamoDB JSON): comment INSERTs
 * (counted once by sequence), the images of cases (counted by version) and the marks of answer
 * notices once sent (the register's notified day).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { CountedCommentSchema, type StreamComment } from '#domain/participation/counting.ts';
import type { StreamAnswerNotice, StreamCase } from '#ports/reports.ts';
import { withoutKeys } from './keys.ts';

/** A stream record as a pipe passes it on (DynamoDB JSON in NewImage). */
export interface PipeRecord {
  eventName?: string;
  dynamodb?: { SequenceNumber?: string; NewImage?: Record<string, AttributeValue> };
}

const isCase = (image: Record<string, AttributeValue> | undefined) => image?.sk?.S === 'CASE';
const isAnswerNotice = (image: Record<string, AttributeValue> | undefined) =>
  image?.sk?.S?.startsWith('NOTICE#') === true &&
  image.kind?.S === 'answered' &&
  image.state?.S !== undefined;

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

/** The records of a batch split: comments, the new images of cases and answer notices (our own items, as stored). */
export function streamRecords(records: readonly PipeRecord[]): {
  comments: StreamComment[];
  cases: StreamCase[];
  notices: StreamAnswerNotice[];
  skipped: number;
} {
  const image = (r: PipeRecord) => r.dynamodb?.NewImage;
  const { comments, skipped } = streamComments(
    records.filter((r) => !isCase(image(r)) && !isAnswerNotice(image(r))),
  );
  const cases = records
    .filter((r) => isCase(image(r)))
    .map((r) => withoutKeys<StreamCase>(unmarshall(image(r)!)));
  const notices = records
    .filter((r) => isAnswerNotice(image(r)))
    .map((r) => {
      const { radicado, state, at, channel, deliveredAt, failures } = unmarshall(image(r)!);
      return {
        radicado,
        state,
        at,
        ...(channel ? { channel } : {}),
        ...(deliveredAt ? { deliveredAt } : {}),
        ...(Array.isArray(failures) && failures.length > 0 ? { failed: true } : {}),
      };
    });
  return { comments, cases, notices, skipped };
}
