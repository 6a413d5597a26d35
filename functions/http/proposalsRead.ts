import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { getPublicProposal, listPublicProposals } from '#app/proposalRead.ts';
import { httpHandler } from '#http/handler.ts';
import { getProposalRoute, listProposalsRoute } from '#http/proposalRoutes.ts';
import { proposals } from '../participationDeps.ts';

const deps = { proposals: proposals() };

const getOne = httpHandler(getProposalRoute, async (request) => ({
  status: 200,
  body: await getPublicProposal(deps, request.params.id),
}));

const list = httpHandler(listProposalsRoute, async (request) => ({
  status: 200,
  body: await listPublicProposals(deps, request.query.entityId, {
    limit: request.query.limit,
    ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
  }),
}));

/** One read-only function serves both public reads; API Gateway names the route. */
export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.routeKey === `GET ${getProposalRoute.path}` ? getOne(event, context) : list(event, context);
