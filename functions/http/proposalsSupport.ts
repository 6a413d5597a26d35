import { supportProposal } from '#app/supportProposal.ts';
import { citizenHash } from '#domain/actor.ts';
import { on, serve } from '#http/handler.ts';
import { logger, metrics, safeError } from '#http/observability.ts';
import { supportProposalRoute } from '#http/routes/proposals.ts';
import { fileCaseDeps, serviceSecret } from '../deps.ts';
import { proposals } from '../participationDeps.ts';

const deps = {
  proposals: proposals(),
  filing: await fileCaseDeps(),
  onConversionError: (proposalId: string, error: unknown) => {
    // The support is counted; the Publish schedule (or the next support) converts it.
    logger.error('proposal conversion failed', { proposalId, error: safeError(error) });
    metrics.addMetric('ProposalConversionFailed', 'Count', 1);
  },
};

/** Keys the citizens' hashes. */
const secret = await serviceSecret();

export const handler = serve([
  on(supportProposalRoute, async ({ citizen, params }) => {
    const result = await supportProposal(deps, {
      proposalId: params.id,
      supporter: { hashFor: (scope) => citizenHash(secret, scope, citizen) },
    });
    if (result.outcome === 'counted') metrics.addMetric('ProposalSupported', 'Count', 1);
    return { status: result.outcome === 'counted' ? 201 : 200, body: result };
  }),
]);
