import { listInbox } from '#app/readCases.ts';
import { canActOnOffice } from '#domain/actor.ts';
import { authenticate } from '#http/auth.ts';
import { httpHandler } from '#http/handler.ts';
import { HttpProblem } from '#http/problem.ts';
import { listInboxRoute } from '#http/routes.ts';
import { cases, clock, entities } from '../deps.ts';

const deps = { cases: cases(), entities: entities(), clock };

export const handler = httpHandler(listInboxRoute, async (request) => {
  const actor = await authenticate(request.rawHeaders);
  const { office, limit, cursor, status, semaforo, priority, withdrawalCandidates } = request.query;
  if (!canActOnOffice(actor, office)) {
    throw new HttpProblem(403, 'you may not read this office inbox: officers read their own offices only');
  }
  return {
    status: 200,
    body: await listInbox(deps, actor.entityId, office, {
      limit,
      ...(cursor ? { cursor } : {}),
      ...(status ? { statuses: status } : {}),
      ...(semaforo ? { semaforo } : {}),
      ...(priority !== undefined ? { priority } : {}),
      ...(withdrawalCandidates
        ? { withdrawalCandidates, statuses: ['awaiting_completion', 'awaiting_clarification'] }
        : {}),
    }),
  };
});
