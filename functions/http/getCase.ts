import { getPublicCase } from '#app/readCases.ts';
import { httpHandler } from '#http/handler.ts';
import { getCaseRoute } from '#http/routes.ts';
import { cases, clock, entities } from '../deps.ts';

const deps = { cases: cases(), entities: entities(), clock };

export const handler = httpHandler(getCaseRoute, async (request) => ({
  status: 200,
  body: await getPublicCase(deps, request.params.radicado, request.headers['x-tracking-code']),
}));
