import { listInbox } from '#app/readCases.ts';
import { officerActor } from '#http/auth.ts';
import { httpHandler } from '#http/handler.ts';
import { listInboxRoute } from '#http/routes.ts';
import { cases, clock, entities } from '../deps.ts';

const deps = { cases: cases(), entities: entities(), clock };

export const handler = httpHandler(listInboxRoute, async (request) => {
  const actor = officerActor(request.rawHeaders);
  const { office, limit, cursor } = request.query;
  return {
    status: 200,
    body: await listInbox(deps, actor.entityId, office, { limit, ...(cursor ? { cursor } : {}) }),
  };
});
