/**
 * CountComments: the CommentsCounted pipe's target. It gets the table stream's INSERT records of
 * comments, in stream order, as a JSON array (a pipe's batch), and adds them to their
 * consultations' counters exactly once (shared/domain/participation/counting.ts): a batch the
 * pipe delivers again is skipped up to each shard's checkpoint. Any failure fails the whole batch
 * (the pipe retries it, bisecting, then dead-letters a pointer to the records); a record that is
 * not a comment can never be counted and is skipped with a metric. Logs carry counts only.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type PipeRecord, streamComments } from '#adapters/dynamodb/commentStream.ts';
import { countStreamComments } from '#app/commentCount.ts';
import { logger, metrics, tracer } from '#http/observability.ts';
import { consultationCounters } from '../participationDeps.ts';

const deps = { counters: consultationCounters() };

export async function handleRecords(event: readonly PipeRecord[] | { Records: readonly PipeRecord[] }) {
  const records = Array.isArray(event) ? event : (event as { Records: readonly PipeRecord[] }).Records;
  const { comments, skipped } = streamComments(records);
  if (skipped > 0) {
    logger.warn('stream records that are not comment INSERTs skipped', { skipped });
    metrics.addMetric('CommentUncountable', 'Count', skipped);
  }
  const counted = await countStreamComments(deps, comments);
  metrics.addMetric('CommentCounted', 'Count', counted);
  if (counted < comments.length)
    metrics.addMetric('CommentCountedBefore', 'Count', comments.length - counted);
  return { counted };
}

export const handler = middy(async (event: readonly PipeRecord[], _context: Context) => handleRecords(event))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
