/**
 * The participation schedule: closes consultations whose comment period has ended (closesAt),
 * computes the campaign groups of those closed (and of those a late comment made stale), and
 * converts proposals that reached their threshold but whose conversion into a case failed (or
 * records for good that the filing refused it).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { groupDueConsultations } from '#app/commentGrouping.ts';
import { closeDueConsultations } from '#app/consultationActions.ts';
import { convertDueProposals } from '#app/proposalConvert.ts';
import { logger, metrics, safeError } from '#http/observability.ts';
import { channelFilingDeps, clock } from '../deps.ts';
import {
  campaignGroups,
  comments,
  consultationCounters,
  consultations,
  proposals,
} from '../participationDeps.ts';

const deps = {
  consultations: consultations(),
  comments: comments(),
  groups: campaignGroups(),
  counters: consultationCounters(),
  clock,
};
const conversions = { proposals: proposals(), filing: await channelFilingDeps() };

export const handler = middy(async (_event: ScheduledEvent) => {
  const closed = await closeDueConsultations(deps);
  if (closed.length > 0) logger.info('consultations closed', { closed });
  metrics.addMetric('ConsultationClosed', 'Count', closed.length);
  const grouped = await groupDueConsultations(deps);
  if (grouped.length > 0) logger.info('campaign groups computed', { grouped });
  metrics.addMetric('ConsultationGrouped', 'Count', grouped.length);
  const retried = await convertDueProposals(conversions);
  if (retried.converted.length > 0)
    logger.info('proposals converted by retry', { converted: retried.converted });
  for (const f of retried.failed) {
    logger.error('proposal conversion failed again', { proposalId: f.proposalId, error: safeError(f.error) });
  }
  for (const r of retried.refused) {
    // The reason's fields only, as for an intake rejection: the proposal is marked with the whole of it.
    logger.warn('proposal conversion refused for good', {
      proposalId: r.proposalId,
      fields: r.reason.map((i) => i.field),
    });
  }
  metrics.addMetric('ProposalConverted', 'Count', retried.converted.length);
  metrics.addMetric('ProposalConversionFailed', 'Count', retried.failed.length);
  metrics.addMetric('ProposalConversionRefused', 'Count', retried.refused.length);
  return { closed, grouped, converted: retried.converted };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
