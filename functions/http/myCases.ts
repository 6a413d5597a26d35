/** An identified citizen's list of cases: read it, add a case to it. */
import { linkMyCase, listMyCases } from '#app/myCases.ts';
import { on, serve } from '#http/handler.ts';
import { linkMyCaseRoute, listMyCasesRoute } from '#http/routes/petitioner.ts';
import { petitionerDeps } from '../deps.ts';

const deps = await petitionerDeps();

export const handler = serve([
  on(listMyCasesRoute, async ({ citizen, query }) => ({
    status: 200,
    body: await listMyCases(deps, citizen, query),
  })),
  on(linkMyCaseRoute, async ({ citizen, body }) => ({
    status: 200,
    body: await linkMyCase(deps, citizen, body),
  })),
]);
