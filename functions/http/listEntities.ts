import { listPublicEntities } from '#app/readCases.ts';
import { httpHandler } from '#http/handler.ts';
import { listEntitiesRoute } from '#http/routes.ts';
import { entities } from '../deps.ts';

const deps = { entities: entities() };

export const handler = httpHandler(listEntitiesRoute, async () => ({
  status: 200,
  body: await listPublicEntities(deps),
}));
