import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { verifyReceipt } from '#app/receipts.ts';
import { httpHandler } from '#http/handler.ts';
import { jwksRoute, verifyReceiptRoute } from '#http/routes.ts';
import { cases, signer } from '../deps.ts';

const deps = { cases: cases(), signer: await signer() };

const verify = httpHandler(verifyReceiptRoute, async (request) => ({
  status: 200,
  body: await verifyReceipt(deps, request.query.receipt),
}));

const jwks = httpHandler(jwksRoute, async () => ({ status: 200, body: deps.signer.jwks() }));

/** One function serves both receipt routes (they share the key); API Gateway names the route. */
export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.routeKey === `GET ${jwksRoute.path}` ? jwks(event, context) : verify(event, context);
