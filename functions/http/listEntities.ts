import { listPublicEntities } from '#app/readCases.ts';
import { on, serve } from '#http/handler.ts';
import { listEntitiesRoute } from '#http/routes/public.ts';
import { entities } from '../deps.ts';

const deps = { entities: entities() };

export const handler = serve([
  on(listEntitiesRoute, async () => ({ status: 200, body: await listPublicEntities(deps) })),
]);
