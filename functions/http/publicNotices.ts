import { listPublicNotices } from '#app/publicNotices.ts';
import { on, serve } from '#http/handler.ts';
import { listPublicNoticesRoute } from '#http/routes/notices.ts';
import { clock, entities, publications } from '../deps.ts';

const deps = { publications: publications(), entities: entities(), clock };

export const handler = serve([
  on(listPublicNoticesRoute, async ({ params, query }) => ({
    status: 200,
    body: await listPublicNotices(deps, params.id, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    }),
  })),
]);
