import { citizenRef, createProposal } from '#app/proposalCreate.ts';
import { on, serve } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { createProposalRoute } from '#http/routes/proposals.ts';
import { clock, entities, pseudonyms } from '../deps.ts';
import { proposals } from '../participationDeps.ts';

const deps = { proposals: proposals(), entities: entities(), clock };
const keyed = await pseudonyms();

export const handler = serve([
  on(createProposalRoute, async ({ citizen, body }) => {
    const proposal = await createProposal(deps, {
      input: body,
      author: citizenRef(keyed, citizen),
    });
    metrics.addMetric('ProposalCreated', 'Count', 1);
    return { status: 201, body: proposal, headers: { location: `/v1/public/proposals/${proposal.id}` } };
  }),
]);
