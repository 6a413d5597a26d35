/** The scheduled sweeper. For now: the routing outbox (cases filed but never routed get routed). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { relayUnrouted } from '#app/routeCase.ts';
import { logger, metrics } from '#http/observability.ts';
import { optional } from '#shared/config.ts';
import { cases, clock, routingQueue } from '../deps.ts';

const deps = { cases: cases(), routing: routingQueue(), clock };

export const handler = middy(async (_event: ScheduledEvent) => {
  const relayed = await relayUnrouted(deps, optional('OUTBOX_GRACE_SECONDS'));
  if (relayed > 0) logger.warn('routing outbox relayed unrouted cases', { relayed });
  metrics.addMetric('OutboxRelayed', 'Count', relayed);
  return { relayed };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
