import { getPublicProposal, listPublicProposals } from '#app/proposalRead.ts';
import { on, serve } from '#http/handler.ts';
import { getProposalRoute, listProposalsRoute } from '#http/routes/proposals.ts';
import { proposals } from '../participationDeps.ts';

const deps = { proposals: proposals() };

export const handler = serve([
  on(getProposalRoute, async ({ params }) => ({
    status: 200,
    body: await getPublicProposal(deps, params.id),
  })),
  on(listProposalsRoute, async ({ query }) => ({
    status: 200,
    body: await listPublicProposals(deps, query.entityId, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    }),
  })),
]);
