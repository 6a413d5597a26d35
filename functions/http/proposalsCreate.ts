import { createProposal } from '#app/proposalCreate.ts';
import { citizenHash } from '#domain/actor.ts';
import { on, serve } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { createProposalRoute } from '#http/routes/proposals.ts';
import { clock, entities, serviceSecret } from '../deps.ts';
import { proposals } from '../participationDeps.ts';

const deps = { proposals: proposals(), entities: entities(), clock };
/** Keys the citizens' hashes. */
const secret = await serviceSecret();

export const handler = serve([
  on(createProposalRoute, async ({ citizen, body }) => {
    const proposal = await createProposal(deps, {
      input: body,
      author: { hashFor: (scope) => citizenHash(secret, scope, citizen) },
    });
    metrics.addMetric('ProposalCreated', 'Count', 1);
    return { status: 201, body: proposal, headers: { location: `/v1/public/proposals/${proposal.id}` } };
  }),
]);
