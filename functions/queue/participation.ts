/**
 * The participation consumer: writes accepted comments in batches. The whole batch goes to the
 * store at once (transactions of up to 99 comments and one sharded-counter update), idempotent on
 * the comment's reference: a redelivered message is a
 * duplicate, written and counted nowhere. A message that can never be written (unreadable, unknown
 * consultation or section) goes to the DLQ at once with its reason; a transient failure fails the
 * batch's messages (batchItemFailures) for SQS to deliver again.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingestComments } from '#app/commentIngest.ts';
import { type CommentMessage, CommentMessageSchema } from '#domain/participation/comment.ts';
import { logger, metrics, safeError, tracer } from '#http/observability.ts';
import { required } from '#shared/config.ts';
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

/** Moves records that can never be written to the DLQ at once, with the reason (never the text). */
async function deadLetter(records: readonly { record: SQSRecord; reason: string }[]): Promise<void> {
  for (let i = 0; i < records.length; i += 10) {
    const chunk = records.slice(i, i + 10);
    const out = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: chunk.map(({ record, reason }, j) => ({
          Id: String(j),
          MessageBody: record.body,
          MessageAttributes: {
            rejected: { DataType: 'String', StringValue: reason },
            sourceMessageId: { DataType: 'String', StringValue: record.messageId },
          },
        })),
      }),
    );
    if (out.Failed && out.Failed.length > 0) throw new Error(`DLQ refused ${out.Failed.length} message(s)`);
  }
  metrics.addMetric('CommentRejected', 'Count', records.length);
  logger.warn('participation messages rejected', {
    rejected: records.map(({ record, reason }) => ({ messageId: record.messageId, reason })),
  });
}

export async function handleBatch(event: SQSEvent): Promise<SQSBatchResponse> {
  const valid: { record: SQSRecord; message: CommentMessage }[] = [];
  const rejected: { record: SQSRecord; reason: string }[] = [];
  for (const record of event.Records) {
    const message = parse(record);
    if (message) valid.push({ record, message });
    else rejected.push({ record, reason: 'not a comment message' });
  }
  const failures: string[] = [];
  try {
    const outcome = await ingestComments(
      deps,
      valid.map((v) => v.message),
    );
    for (const v of valid) {
      const reason = outcome.rejected.get(v.message.reference);
      if (reason !== undefined) rejected.push({ record: v.record, reason });
    }
    metrics.addMetric('CommentWritten', 'Count', outcome.written.length);
    if (outcome.duplicates.length > 0)
      metrics.addMetric('CommentDuplicate', 'Count', outcome.duplicates.length);
  } catch (error) {
    logger.error('comment batch failed', { records: valid.length, error: safeError(error) });
    metrics.addMetric('RecordFailed', 'Count', valid.length);
    failures.push(...valid.map((v) => v.record.messageId));
  }
  if (rejected.length > 0) {
    try {
      await deadLetter(rejected);
    } catch (error) {
      logger.error('dead-lettering failed', { error: safeError(error) });
      failures.push(...rejected.map((r) => r.record.messageId));
    }
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

export const handler = middy(async (event: SQSEvent, _context: Context) => handleBatch(event))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
