/**
 * Count: the Counting pipe's target. It gets table stream records in stream order, as a JSON array
 * (a pipe's batch): comment INSERTs, added to their consultations' counters exactly once
 * (shared/domain/participation/counting.ts; a batch delivered again is skipped up to each shard's
 * checkpoint), the images of cases, whose PQRSD report contributions and register entries are
 * brought up to date (shared/app/reportCount.ts; by each case's counted version), and the answer
 * notices sent, whose day the register shows. Any failure fails the whole batch
 * (the pipe retries it, bisecting, then dead-letters a pointer to the records); a record that is
 * neither can never be counted and is skipped with a metric. Logs carry counts only.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type PipeRecord, streamRecords } from '#adapters/dynamodb/streamRecords.ts';
import { countStreamComments } from '#app/commentCount.ts';
import { countNotified, countStreamCases } from '#app/reportCount.ts';
import { logger, metrics, tracer } from '#http/observability.ts';
import { entities, reportCounters } from '../deps.ts';
import { consultationCounters } from '../participationDeps.ts';

const deps = { counters: consultationCounters() };
const reports = { counters: reportCounters(), entities: entities() };

export async function handleRecords(event: readonly PipeRecord[] | { Records: readonly PipeRecord[] }) {
  const records = Array.isArray(event) ? event : (event as { Records: readonly PipeRecord[] }).Records;
  const { comments, cases, notices, skipped } = streamRecords(records);
  if (skipped > 0) {
    logger.warn('stream records that are neither comment INSERTs, cases nor answer notices skipped', {
      skipped,
    });
    metrics.addMetric('CommentUncountable', 'Count', skipped);
  }
  // `notified` is an attribute of its own on the counted item: cases and notices in any order.
  const [counted, report] = await Promise.all([
    countStreamComments(deps, comments),
    countStreamCases(reports, cases),
    countNotified(reports, notices),
  ]);
  metrics.addMetric('CommentCounted', 'Count', counted);
  if (counted < comments.length)
    metrics.addMetric('CommentCountedBefore', 'Count', comments.length - counted);
  metrics.addMetric('CaseCounted', 'Count', report.changed);
  return { counted, cases: report.changed };
}

export const handler = middy(async (event: readonly PipeRecord[], _context: Context) => handleRecords(event))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
