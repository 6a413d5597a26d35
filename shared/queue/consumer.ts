/**
 * The stack every SQS consumer uses: Powertools logger/metrics/tracer and partial batch responses.
 * `sqsConsumer` handles a batch record by record: a record handler that throws fails only its
 * record. `sqsBatchConsumer` hands the whole batch to one handler, which reports the records it
 * could not handle. Either way a failed record is retried by SQS, then dead-lettered by the
 * queue's redrive policy; `deadLetter` moves one that can never be handled there at once.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, safeError, tracer } from '#http/observability.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Records a batch handler could not handle this time, and why: SQS delivers them again. */
export interface BatchFailure {
  readonly messageIds: readonly string[];
  readonly error: unknown;
}

export type BatchHandler = (records: readonly SQSRecord[]) => Promise<readonly BatchFailure[]>;

/**
 * Why records failed, logged before they are reported: the message ids and the error's name, code
 * and frames (safeError), never its message nor a record's body, which can quote personal data;
 * and a RecordFailed metric per record.
 */
function logFailure(messageIds: readonly string[], error: unknown): void {
  if (messageIds.length === 1) {
    logger.error('record failed', { messageId: messageIds[0], error: safeError(error) });
  } else {
    logger.error('records failed', { messageIds, error: safeError(error) });
  }
  metrics.addMetric('RecordFailed', 'Count', messageIds.length);
}

/** Powertools' middy stack, in the order DESIGN.md gives, around a batch handler. */
function withObservability(base: SqsHandler): SqsHandler {
  return middy(base)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(captureLambdaHandler(tracer, { captureResponse: false })) as unknown as SqsHandler;
}

/**
 * One record at a time (concurrently within the batch); a record handler that throws fails only
 * its record. The batch processor keeps the batch's state, so each invocation gets its own: the
 * local runtime (and Lambda's multi-concurrency) runs several batches in one process at once.
 */
export function sqsConsumer(recordHandler: (record: SQSRecord) => Promise<void>): SqsHandler {
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    try {
      await recordHandler(record);
    } catch (error) {
      logFailure([record.messageId], error);
      throw error;
    }
  };
  return withObservability(async (event, context) =>
    processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context }),
  );
}

/**
 * The whole batch to one handler (to write it at once); it returns the records that failed, which
 * are logged and reported in batchItemFailures. A handler that throws fails the whole batch.
 */
export function sqsBatchConsumer(handleBatch: BatchHandler): SqsHandler {
  return withObservability(async (event) => {
    let failures: readonly BatchFailure[];
    try {
      failures = await handleBatch(event.Records);
    } catch (error) {
      logFailure(
        event.Records.map((r) => r.messageId),
        error,
      );
      throw error;
    }
    const failed = new Set<string>();
    for (const { messageIds, error } of failures) {
      if (messageIds.length === 0) continue;
      logFailure(messageIds, error);
      for (const id of messageIds) failed.add(id);
    }
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  });
}

/** A record that can never be handled: `rejected` says why in a few words; `reason` may say more. */
export interface Rejection {
  readonly record: SQSRecord;
  readonly rejected: string;
  readonly reason?: string;
}

/**
 * Moves records that can never be handled to the dead-letter queue at once, their body as it came
 * and, as message attributes, `rejected`, `reason` (at most 1,024 characters) and the
 * `sourceMessageId`. Any entry SQS refuses makes the call fail, so the caller fails those records.
 */
export async function deadLetter(
  sqs: SQSClient,
  queueUrl: string,
  rejections: readonly Rejection[],
): Promise<void> {
  for (let i = 0; i < rejections.length; i += 10) {
    const entries = rejections.slice(i, i + 10).map(
      ({ record, rejected, reason }, j): SendMessageBatchRequestEntry => ({
        Id: String(j),
        MessageBody: record.body,
        MessageAttributes: {
          rejected: { DataType: 'String', StringValue: rejected },
          ...(reason !== undefined
            ? { reason: { DataType: 'String', StringValue: reason.slice(0, 1024) } }
            : {}),
          sourceMessageId: { DataType: 'String', StringValue: record.messageId },
        },
      }),
    );
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    if (out.Failed && out.Failed.length > 0) {
      throw new Error(
        `DLQ refused ${out.Failed.length} message(s): ${out.Failed.map((f) => f.Code).join(', ')}`,
      );
    }
  }
}
