import { createProposal } from '#app/proposalCreate.ts';
import { authenticateCitizen, citizenHash } from '#http/citizenAuth.ts';
import { httpHandler } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { createProposalRoute } from '#http/proposalRoutes.ts';
import { clock, entities, serviceSecret } from '../deps.ts';
import { proposals } from '../participationDeps.ts';

const deps = { proposals: proposals(), entities: entities(), clock };
/** Keys the citizens' hashes. */
const secret = await serviceSecret();

export const handler = httpHandler(createProposalRoute, async (request) => {
  const citizen = await authenticateCitizen(
    request.rawHeaders,
    'making a proposal needs an identified citizen',
  );
  const proposal = await createProposal(deps, {
    input: request.body,
    author: { hashFor: (scope) => citizenHash(secret, scope, citizen) },
  });
  metrics.addMetric('ProposalCreated', 'Count', 1);
  return { status: 201, body: proposal, headers: { location: `/v1/public/proposals/${proposal.id}` } };
});
