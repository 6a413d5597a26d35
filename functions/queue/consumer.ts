/**
 * The stack every SQS consumer uses: Powertools logger/metrics/tracer and partial batch responses.
 * A record handler that throws fails only its record (retried by SQS, then dead-lettered by the
 * queue's redrive policy); the others are acknowledged.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, safeError, tracer } from '#http/observability.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The record handler, logging why a record failed before failing it: the message id and the
 * error's name, code and frames (safeError) — never its message nor the record's body, which can
 * quote personal data — and a RecordFailed metric. The error is rethrown, so the batch processor
 * still reports the record in batchItemFailures.
 */
function loggingFailures(
  recordHandler: (record: SQSRecord) => Promise<void>,
): (record: SQSRecord) => Promise<void> {
  return async (record) => {
    try {
      await recordHandler(record);
    } catch (error) {
      logger.error('record failed', { messageId: record.messageId, error: safeError(error) });
      metrics.addMetric('RecordFailed', 'Count', 1);
      throw error;
    }
  };
}

export function sqsConsumer(recordHandler: (record: SQSRecord) => Promise<void>): SqsHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = loggingFailures(recordHandler);
  const base = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, handleRecord, processor, { context });
  return middy(base)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(captureLambdaHandler(tracer, { captureResponse: false })) as unknown as SqsHandler;
}
