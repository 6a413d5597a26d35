/**
 * The participation consumer: writes accepted comments in batches, idempotent on the comment's
 * reference (commentIngest.ts); the table stream counts them (docs/adr/0004-counting-comments-from-stream.md).
 * A message that can never be written (unreadable, unknown consultation or section) goes to the
 * DLQ at once with its reason; a transient failure fails the batch's messages (batchItemFailures)
 * for SQS to deliver again.
 */
import type { SQSRecord } from 'aws-lambda';
import { ingestComments } from '#app/commentIngest.ts';
import { type CommentMessage, CommentMessageSchema } from '#domain/participation/comment.ts';
import { logger, metrics } from '#http/observability.ts';
import { required } from '#shared/config.ts';
import { type BatchFailure, deadLetter, type Rejection, sqsBatchConsumer } from '#shared/queue/consumer.ts';
import { clock, sqsClient } from '../deps.ts';
import { comments, consultations } from '../participationDeps.ts';

const deps = { consultations: consultations(), comments: comments(), clock };
const dlqUrl = required('PARTICIPATION_DLQ_URL');

function parse(record: SQSRecord): CommentMessage | undefined {
  try {
    const parsed = CommentMessageSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function handleBatch(records: readonly SQSRecord[]): Promise<BatchFailure[]> {
  const valid: { record: SQSRecord; message: CommentMessage }[] = [];
  const rejected: Rejection[] = [];
  for (const record of records) {
    const message = parse(record);
    if (message) valid.push({ record, message });
    else rejected.push({ record, rejected: 'not a comment message' });
  }
  const failures: BatchFailure[] = [];
  try {
    const outcome = await ingestComments(
      deps,
      valid.map((v) => v.message),
    );
    for (const v of valid) {
      const reason = outcome.rejected.get(v.message.reference);
      if (reason !== undefined) rejected.push({ record: v.record, rejected: reason });
    }
    metrics.addMetric('CommentWritten', 'Count', outcome.written.length);
    if (outcome.duplicates.length > 0)
      metrics.addMetric('CommentDuplicate', 'Count', outcome.duplicates.length);
  } catch (error) {
    failures.push({ messageIds: valid.map((v) => v.record.messageId), error });
  }
  if (rejected.length > 0) {
    try {
      // The reason, never the text.
      await deadLetter(sqsClient(), dlqUrl, rejected);
      metrics.addMetric('CommentRejected', 'Count', rejected.length);
      logger.warn('participation messages rejected', {
        rejected: rejected.map((r) => ({ messageId: r.record.messageId, reason: r.rejected })),
      });
    } catch (error) {
      failures.push({ messageIds: rejected.map((r) => r.record.messageId), error });
    }
  }
  return failures;
}

export const handler = sqsBatchConsumer(handleBatch);
