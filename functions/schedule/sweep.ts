/**
 * The scheduled sweeper: relays the routing outbox (cases filed but never routed get routed) and
 * the notice outbox (notices never sent get their message again: docs/adr/0011), then
 * keeps watch over the pending cases whose alert instant has come (semáforo alerts, overdue
 * escalation, deemed acceptance, withdrawal candidates; shared/app/sweep.ts, docs/adr/0017).
 * Counts only in logs and metrics.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { relayUnnotified } from '#app/notify.ts';
import { relayUnrouted } from '#app/routeCase.ts';
import { sweepCases } from '#app/sweep.ts';
import { logger, metrics } from '#http/observability.ts';
import { optional } from '#shared/config.ts';
import { cases, clock, entities, notices, notificationsQueue, routingQueue } from '../deps.ts';

const deps = {
  cases: cases(),
  entities: entities(),
  notices: notices(),
  routing: routingQueue(),
  notifications: notificationsQueue(),
  clock,
};

/** Time kept back from the function's timeout: the page being served when the run stops ends in it. */
const STOP_MARGIN_MS = 15_000;

export const handler = middy(async (_event: ScheduledEvent, context: Context) => {
  const stopBy = Date.now() + context.getRemainingTimeInMillis() - STOP_MARGIN_MS;
  const relayed = await relayUnrouted(deps, optional('OUTBOX_GRACE_SECONDS'));
  if (relayed > 0) logger.warn('routing outbox relayed unrouted cases', { relayed });
  metrics.addMetric('OutboxRelayed', 'Count', relayed);
  // Twice the routing grace: a notice waits for its pipe's delivery and the consumer's retries.
  const renotified = await relayUnnotified(deps, 2 * optional('OUTBOX_GRACE_SECONDS'));
  if (renotified > 0) logger.warn('notice outbox relayed notices never sent', { renotified });
  metrics.addMetric('NoticesRelayed', 'Count', renotified);

  const watch = await sweepCases({ ...deps, stopBy });
  metrics.addMetric('CasesWatched', 'Count', watch.watched);
  // Due cases left for the next run (budget reached): a backlog that lasts is worth an alarm.
  metrics.addMetric('SweepBudgetReached', 'Count', watch.budgetReached ? 1 : 0);
  metrics.addMetric('CasesReplaced', 'Count', watch.replaced);
  metrics.addMetric('AlertYellow', 'Count', watch.alerts.yellow);
  metrics.addMetric('AlertRed', 'Count', watch.alerts.red);
  metrics.addMetric('OverdueEscalated', 'Count', watch.alerts.overdue);
  metrics.addMetric('WithdrawalCandidateAlerted', 'Count', watch.alerts.withdrawal_candidate);
  metrics.addMetric('WithdrawalCandidates', 'Count', watch.withdrawalCandidates);
  metrics.addMetric('DeemedAccepted', 'Count', watch.deemedAccepted);
  if (watch.failed > 0) {
    logger.error('cases whose clock could not be computed', { failed: watch.failed });
    metrics.addMetric('WatchFailed', 'Count', watch.failed);
  }
  logger.info('sweep', { relayed, renotified, ...watch });
  return { relayed, renotified, ...watch };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
