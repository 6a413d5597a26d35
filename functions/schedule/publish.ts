/** The participation schedule: closes consultations whose comment period has ended (closesAt). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { closeDueConsultations } from '#app/consultationActions.ts';
import { logger, metrics } from '#http/observability.ts';
import { clock, consultations } from '../deps.ts';

const deps = { consultations: consultations(), clock };

export const handler = middy(async (_event: ScheduledEvent) => {
  const closed = await closeDueConsultations(deps);
  if (closed.length > 0) logger.info('consultations closed', { closed });
  metrics.addMetric('ConsultationClosed', 'Count', closed.length);
  return { closed };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
