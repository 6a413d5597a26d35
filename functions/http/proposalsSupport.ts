import { citizenRef } from '#app/proposalCreate.ts';
import { supportProposal } from '#app/supportProposal.ts';
import { on, serve } from '#http/handler.ts';
import { logger, metrics, safeError } from '#http/observability.ts';
import { supportProposalRoute } from '#http/routes/proposals.ts';
import { channelFilingDeps, pseudonyms } from '../deps.ts';
import { proposals } from '../participationDeps.ts';

const deps = {
  proposals: proposals(),
  filing: await channelFilingDeps(),
  onConversionError: (proposalId: string, error: unknown) => {
    // The support is counted; the Publish schedule (or the next support) converts it.
    logger.error('proposal conversion failed', { proposalId, error: safeError(error) });
    metrics.addMetric('ProposalConversionFailed', 'Count', 1);
  },
};

const keyed = await pseudonyms();

export const handler = serve([
  on(supportProposalRoute, async ({ citizen, params }) => {
    const result = await supportProposal(deps, {
      proposalId: params.id,
      supporter: citizenRef(keyed, citizen),
    });
    if (result.outcome === 'counted') metrics.addMetric('ProposalSupported', 'Count', 1);
    return { status: result.outcome === 'counted' ? 201 : 200, body: result };
  }),
]);
