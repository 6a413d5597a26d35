/**
 * Relay: the Outbox pipe's target. It gets the table stream records that ask for work elsewhere (a
 * filed case to route, an event or alert to notify of) as a JSON array, in stream order, and sends
 * each as its message to the routing or the notifications queue (shared/queue/outbox.ts). A queue
 * that refuses fails the whole batch: the pipe retries it, then dead-letters pointers, and the
 * sweep relays from the outbox indexes what never arrived (docs/adr/0019). Logs carry counts only.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { SqsQueue } from '#adapters/sqs/queue.ts';
import { logger, metrics, tracer } from '#http/observability.ts';
import { required } from '#shared/config.ts';
import type { Json } from '#shared/queue/eventPattern.ts';
import { relay } from '#shared/queue/outbox.ts';
import { sqsClient } from '../deps.ts';

// The routes' messages as they are rendered: the consumers parse them (RoutingMessage, NotifyMessage).
const queues = {
  routing: new SqsQueue<Record<string, string>>(sqsClient(), required('ROUTING_QUEUE_URL')),
  notifications: new SqsQueue<Record<string, string>>(sqsClient(), required('NOTIFICATIONS_QUEUE_URL')),
};

export async function handleRecords(records: readonly Json[]) {
  const sorted = await relay(queues, records);
  const routed = sorted.messages.get('routing')?.length ?? 0;
  const notices = sorted.messages.get('notifications')?.length ?? 0;
  metrics.addMetric('OutboxRouted', 'Count', routed);
  metrics.addMetric('OutboxNotices', 'Count', notices);
  if (sorted.ignored + sorted.incomplete > 0) {
    // Neither can ever be sent: the pipe's filter and the routes disagree, or an item lacks a key.
    logger.error('stream records the outbox cannot relay', {
      ignored: sorted.ignored,
      incomplete: sorted.incomplete,
    });
    metrics.addMetric('OutboxUnrelayable', 'Count', sorted.ignored + sorted.incomplete);
  }
  return { routed, notices };
}

export const handler = middy(async (event: readonly Json[], _context: Context) => handleRecords(event))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
