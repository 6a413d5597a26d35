import { suggestAnalogous } from '#app/analogous.ts';
import { listInbox } from '#app/readCases.ts';
import { on, serve } from '#http/handler.ts';
import { analogousGroupsRoute, listInboxRoute } from '#http/routes/cases.ts';
import { cases, clock, entities } from '../deps.ts';

const deps = { cases: cases(), entities: entities(), clock };

export const handler = serve([
  on(listInboxRoute, async ({ actor, query }) => {
    const { office, limit, cursor, status, semaforo, priority, withdrawalCandidates } = query;
    return {
      status: 200,
      body: await listInbox(deps, actor, office, {
        limit,
        ...(cursor ? { cursor } : {}),
        ...(status ? { statuses: status } : {}),
        ...(semaforo ? { semaforo } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(withdrawalCandidates ? { withdrawalCandidates } : {}),
      }),
    };
  }),
  on(analogousGroupsRoute, async ({ actor, query }) => ({
    status: 200,
    body: await suggestAnalogous(deps, actor, query.office),
  })),
]);
